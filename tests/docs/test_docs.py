"""Docs tested like code: every command, setting and engine function the docs promise exists, and vice versa."""

from __future__ import annotations

import re
from pathlib import Path

import click

from icc.cli import main

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
METHODOLOGY = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "icc") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out += commands(cmd, full)
        else:
            out.append(full)
    return out


def test_every_cli_command_is_in_the_readme():
    missing = [c for c in commands(main) if c not in README]
    assert not missing, f"document these commands in README.md: {missing}"


def test_every_setting_is_documented():
    settings_source = (ROOT / "src" / "icc" / "web" / "settings.py").read_text(encoding="utf-8")
    used = set(re.findall(r'(?:environ\.get|env_bool|env_list|env_int|env_choice)\("([A-Z_]+)"', settings_source))
    for name in used:
        assert name in README, f"{name} is read by settings.py but not mentioned in README.md"


def test_every_function_named_in_the_methodology_exists():
    import importlib

    for dotted in set(re.findall(r"`(icc\.[a-z_.]+)`", METHODOLOGY)):
        module, _, attr = dotted.rpartition(".")
        try:
            mod = importlib.import_module(dotted)
        except ModuleNotFoundError:
            mod = importlib.import_module(module)
            assert hasattr(mod, attr), f"docs/methodology.md names {dotted}, which does not exist"
        else:
            assert mod is not None


def test_every_api_endpoint_is_documented():
    import django

    django.setup()
    from icc.web.results.api import api

    doc = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for path in api.get_openapi_schema()["paths"]:
        assert f"`GET {path}" in doc, f"document {path} in docs/api.md"


def test_every_function_named_in_the_learning_guide_exists():
    import importlib

    import django

    django.setup()
    guide = (ROOT / "docs" / "learning.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(icc\.[a-z_.]+[A-Za-z_]*)`", guide))
    assert len(named) >= 6
    for dotted in named:
        module, _, attr = dotted.rpartition(".")
        try:
            importlib.import_module(dotted)
        except ModuleNotFoundError:
            assert hasattr(importlib.import_module(module), attr), (
                f"docs/learning.md names {dotted}, which does not exist"
            )
