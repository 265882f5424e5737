"""Read framework definitions and mappings from YAML, with every problem located by line.

>>> from icc.framework import load_shipped
>>> fw = load_shipped("icc-2019")
>>> fw.id, len(fw.areas)
('icc-2019', 12)
"""

from __future__ import annotations

import re
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from .checks import PathProblem, validate
from .problems import FrameworkError, Path, Problem, dotted
from .schema import CHOICE_TYPES, Framework, FrameworkMapping


def _line_of(root: yaml.Node | None, path: Path) -> int | None:
    """1-based line of the deepest node of ``path`` that exists in the YAML node tree."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        nxt = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    nxt = value if not isinstance(value, yaml.ScalarNode) else value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


YAML_MAX = 2 * 1024 * 1024
"""Largest framework or mapping YAML file, in bytes (the shipped ones are under 200 KB)."""
DEPTH_MAX = 50
"""Deepest nesting of lists and mappings (a framework needs about 10)."""
NUMBER_CHARS_MAX = 100
"""Longest plain scalar that reads as a number (Python refuses integers of more than 4,300 digits)."""

_NUMERIC = re.compile(r"[-+]?[0-9][0-9_.,:eE+-]*")


def _check_events(file: str, source: str) -> None:
    """Refuse, before anything is built, what would exhaust the loader: deep nesting, aliases, huge numbers.

    The YAML parser is an iterative state machine, so this scan is safe on any input; building the node tree
    and the data afterwards is recursive, and an alias can make data grow exponentially ("billion laughs").
    """
    depth = 0
    for event in yaml.parse(source, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            reason = "anchors and aliases (&name, *name) are not supported in a framework file: write each value out"
            raise FrameworkError([Problem(file, None, line, "", reason)])
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > DEPTH_MAX:
                reason = f"nested more than {DEPTH_MAX} levels deep: a framework file is far flatter"
                raise FrameworkError([Problem(file, None, line, "", reason)])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and event.style is None and len(event.value) > NUMBER_CHARS_MAX:
            if _NUMERIC.fullmatch(event.value):
                reason = f"a number of {len(event.value):,} characters: at most {NUMBER_CHARS_MAX} are accepted"
                raise FrameworkError([Problem(file, None, line, "", reason)])


def read_yaml(path: str | FilePath) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file into data and its node tree, or raise :class:`FrameworkError` with one problem.

    Refused with a located reason, never another exception: a file larger than :data:`YAML_MAX`, not UTF-8,
    invalid YAML, nesting deeper than :data:`DEPTH_MAX`, anchors and aliases, a number longer than
    :data:`NUMBER_CHARS_MAX` characters.
    """
    path = FilePath(path)
    file = str(path)
    try:
        if path.stat().st_size > YAML_MAX:
            reason = f"the file is larger than {YAML_MAX // (1024 * 1024)} MB: a framework file is far smaller"
            raise FrameworkError([Problem(file, None, None, "", reason)])
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([Problem(file, None, None, "", f"cannot read the file: {exc}")]) from exc
    try:
        _check_events(file, source)
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        loader = yaml.SafeLoader("")
        try:
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
        return data, root
    except FrameworkError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        raise FrameworkError([Problem(file, None, line, "", reason)]) from exc
    except (ValueError, RecursionError, OverflowError) as exc:  # a last guard: a value YAML cannot build
        reason = f"cannot read a value: {type(exc).__name__}: {str(exc)[:200]}"
        raise FrameworkError([Problem(file, None, None, "", reason)]) from exc


def _located(file: str, root: yaml.Node | None, problems: list[PathProblem]) -> list[Problem]:
    return [Problem(file, None, _line_of(root, p), dotted(p), reason) for p, reason in problems]


def load_yaml(path: str | FilePath) -> Framework:
    """Load and validate a framework YAML file; raise :class:`FrameworkError` listing every problem."""
    data, root = read_yaml(path)
    fw, problems = validate(data)
    if fw is None:
        raise FrameworkError(_located(str(path), root, problems))
    return fw


def dump_yaml(fw: Framework) -> str:
    """The framework as YAML in the documented format (defaults and empty fields left out)."""
    data = fw.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)
    data = {"id": fw.id, "version": fw.version, **data}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def load_mapping(path: str | FilePath, source: Framework, target: Framework) -> FrameworkMapping:
    """Load a question mapping between two frameworks, checking every id and option against both."""
    data, root = read_yaml(path)
    try:
        mapping = FrameworkMapping.model_validate(data)
    except ValidationError as exc:
        schema_problems: list[PathProblem] = [
            (tuple(p for p in e["loc"] if isinstance(p, (str, int))), e["msg"]) for e in exc.errors()
        ]
        raise FrameworkError(_located(str(path), root, schema_problems)) from exc
    problems: list[PathProblem] = []
    if mapping.from_ != source.id:
        problems.append((("from",), f"expected {source.id!r}, found {mapping.from_!r}"))
    if mapping.to != target.id:
        problems.append((("to",), f"expected {target.id!r}, found {mapping.to!r}"))
    src = {q.id: q for q in source.questions()}
    dst = {q.id: q for q in target.questions()}
    used: dict[str, int] = {}
    for i, qm in enumerate(mapping.questions):
        a, b = src.get(qm.from_), dst.get(qm.to)
        if a is None:
            problems.append((("questions", i, "from"), f"{source.id} has no question {qm.from_!r}"))
        if b is None:
            problems.append((("questions", i, "to"), f"{target.id} has no question {qm.to!r}"))
        elif qm.to in used:
            problems.append((("questions", i, "to"), f"{qm.to!r} is already mapped at questions[{used[qm.to]}]"))
        else:
            used[qm.to] = i
        if a is None or b is None:
            continue
        if (a.type in CHOICE_TYPES) != (b.type in CHOICE_TYPES) or a.type == "text" or b.type == "text":
            problems.append((("questions", i), f"types {a.type} and {b.type} cannot be mapped"))
            continue
        if a.type in CHOICE_TYPES:
            b_options = {o.id for o in b.options}
            for o in a.options:
                new = qm.options.get(o.id, o.id)
                if new not in b_options:
                    problems.append(
                        (
                            ("questions", i, "options"),
                            f"option {o.id!r} of {a.id!r} maps to {new!r}, which {b.id!r} does not have",
                        )
                    )
    if problems:
        raise FrameworkError(_located(str(path), root, problems))
    return mapping
