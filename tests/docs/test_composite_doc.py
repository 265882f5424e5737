"""docs/composite.md cannot rot: its Python blocks run (and their shown output is checked), and it documents every
`icc composite` command and option and every method of every pipeline registry."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import click
import pytest

from icc.cli import main
from icc.engine import composite
from icc.engine.composite import STEPS

ROOT = Path(__file__).resolve().parents[2]
DOC_PATH = ROOT / "docs" / "composite.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
ASEM = ROOT.parent / "shared" / "data" / "asem"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def python_blocks(text: str) -> list[tuple[int, str]]:
    """Every ```python block with the line number of its first line."""
    return [
        (text[: m.start(1)].count("\n") + 1, m.group(1))
        for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    ]


def composite_group() -> click.Group:
    group = main.commands["composite"]
    assert isinstance(group, click.Group)
    return group


def section(heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of any level."""
    start = DOC.find(heading + "\n")
    assert start >= 0, f"docs/composite.md has no heading {heading!r}"
    rest = DOC[start + len(heading) + 1 :]
    nxt = re.search(r"^#{1,6} ", rest, flags=re.MULTILINE)
    return rest[: nxt.start()] if nxt else rest


def test_the_doc_has_python_blocks_in_doctest_form():
    blocks = python_blocks(DOC)
    assert len(blocks) >= 8
    for line, block in blocks:
        assert block.lstrip().startswith(">>> "), f"docs/composite.md line {line}: a python block starts with >>>"


@pytest.mark.skipif(not ASEM.is_dir(), reason=f"the ASEM example data is not at {ASEM}")
def test_every_python_block_runs_in_order_and_shows_its_real_output(monkeypatch):
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    globs: dict[str, object] = {"__name__": "composite_doc"}
    report: list[str] = []
    for line, block in python_blocks(DOC):
        test = parser.get_doctest(block, globs, f"docs/composite.md:{line}", str(DOC_PATH), line - 1)
        runner.run(test, out=report.append, clear_globs=False)
        globs.update(test.globs)  # a DocTest runs on a copy: carry the names on to the next block
    result = runner.summarize(verbose=False)
    assert result.attempted > 40
    assert result.failed == 0, "".join(report)


def test_every_composite_command_and_option_is_in_the_command_reference():
    group = composite_group()
    assert "`icc composite --help`" in DOC
    assert group.commands, "icc composite has no subcommands"
    for name, command in group.commands.items():
        text = section(f"#### `icc composite {name}`")
        assert f"icc composite {name} " in DOC.replace("`", " "), f"no example of icc composite {name}"
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert f"`{opt}" in text, f"document {opt} under 'icc composite {name}' in docs/composite.md"


def test_every_method_and_parameter_of_every_registry_is_documented():
    for step, registry in STEPS.items():
        name = next(k for k, v in vars(composite).items() if v is registry)
        text = section(f"### {step} — `{name}` (`icc.engine.composite.{step}`)")
        for method in registry:
            assert f"| `{method}` |" in text, f"document the {step} method {method!r} in docs/composite.md"
            for param in registry.parameters(method):
                assert f"`{param}`" in text, f"document the parameter {param!r} of {step} {method!r}"


def test_the_doc_points_to_the_benchmarks_and_is_linked():
    assert "see bench/RESULTS.md" in DOC
    assert "docs/composite.md" in (ROOT / "README.md").read_text(encoding="utf-8")
