"""The house plan of docs/architecture.md holds: the import-linter contracts of pyproject.toml are kept (so CI
checks the layers, not only `make lint`), and the page names every module of the web apps it describes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_layer_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_every_web_app_is_placed_in_the_layers():
    page = (ROOT / "docs" / "architecture.md").read_text()
    apps = sorted(p.parent.name for p in (ROOT / "src" / "icc" / "web").glob("*/apps.py"))
    assert apps, "no web apps found"
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    web_layers = next(c["layers"] for c in contracts if "icc.web.network" in c.get("layers", []))
    for app in apps:
        assert f"icc.web.{app}" in page, f"docs/architecture.md does not place icc.web.{app}"
        assert f"icc.web.{app}" in web_layers, f"the web layers contract leaves icc.web.{app} out"
