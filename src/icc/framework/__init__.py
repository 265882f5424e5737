"""Index definitions: typed schema, loader and validator (YAML and XLSX), shipped definitions."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .loader import dump_yaml, load_mapping, load_yaml
from .problems import FrameworkError, Problem
from .schema import DONT_KNOW, Framework, FrameworkMapping, Question

DEFINITIONS = Path(__file__).parent / "definitions"

__all__ = [
    "DONT_KNOW",
    "Framework",
    "FrameworkError",
    "FrameworkMapping",
    "Problem",
    "Question",
    "dump_yaml",
    "load_file",
    "load_mapping",
    "load_shipped",
    "shipped_ids",
    "shipped_mapping",
]


def shipped_ids() -> list[str]:
    """Ids of the frameworks shipped with the package, oldest first."""
    return sorted(p.stem for p in DEFINITIONS.glob("*.yaml"))


@cache
def load_shipped(framework_id: str) -> Framework:
    """A shipped framework by id (``icc-2019``, ``icc-2011``)."""
    path = DEFINITIONS / f"{framework_id}.yaml"
    if not path.exists():
        raise ValueError(f"unknown framework {framework_id!r}; shipped: {', '.join(shipped_ids())}")
    return load_yaml(path)


@cache
def shipped_mapping(from_id: str, to_id: str) -> FrameworkMapping | None:
    """The shipped question mapping from one framework to another, if there is one."""
    path = DEFINITIONS / "mappings" / f"{from_id}__{to_id}.yaml"
    if not path.exists():
        return None
    return load_mapping(path, load_shipped(from_id), load_shipped(to_id))


def load_file(path: str | Path) -> Framework:
    """Load a framework from a ``.yaml``/``.yml`` or ``.xlsx`` file."""
    suffix = Path(path).suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(path)
    if suffix == ".xlsx":
        from .xlsx import load_xlsx

        return load_xlsx(path)
    raise FrameworkError([Problem(str(path), None, None, "", f"unsupported file type {suffix!r}: use .yaml or .xlsx")])
