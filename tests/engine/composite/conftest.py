"""Shared inputs of the composite-indicator tests: a small hand-sized hierarchy and COINr's ASEM example."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icc.engine.composite import Spec, build

ASEM_DATA_DIR = Path("/work/shared/data/asem")
EXAMPLES = Path(__file__).parents[3] / "examples" / "asem"
ASEM_DATA = ASEM_DATA_DIR / "asem_idata.csv"
ASEM_META = ASEM_DATA_DIR / "asem_imeta.csv"


def small_meta(
    weights: tuple[float, ...] = (1, 1, 1, 1, 1, 1),
    directions: tuple[int, int, int, int] = (1, 1, 1, 1),
) -> pd.DataFrame:
    """Four indicators in two aggregates under one index::

    I ─┬─ A ─┬─ a
       │     └─ b
       └─ B ─┬─ c
             └─ d

    ``weights`` are those of a, b, c, d, A, B (the index's own weight is 1).
    """
    return pd.DataFrame(
        {
            "iCode": ["a", "b", "c", "d", "A", "B", "I"],
            "Level": [1, 1, 1, 1, 2, 2, 3],
            "Parent": ["A", "A", "B", "B", "I", "I", None],
            "Weight": [*weights, 1],
            "Direction": [*directions, 1, 1, 1],
            "Type": ["Indicator"] * 4 + ["Aggregate"] * 3,
        }
    )


@pytest.fixture
def meta() -> pd.DataFrame:
    return small_meta()


@pytest.fixture(scope="session")
def make_meta():
    """:func:`small_meta` itself, for tests that vary its weights or directions."""
    return small_meta


@pytest.fixture(scope="session")
def asem_paths() -> tuple[str, str]:
    if not ASEM_DATA.exists():
        pytest.skip(f"the ASEM example data is not at {ASEM_DATA_DIR}")
    return str(ASEM_DATA), str(ASEM_META)


@pytest.fixture(scope="session")
def examples() -> Path:
    """examples/asem: spec.yaml, weights-noise.yaml, four-assumptions.yaml."""
    return EXAMPLES


@pytest.fixture(scope="session")
def asem_spec() -> Spec:
    return Spec.read(str(EXAMPLES / "spec.yaml"))


@pytest.fixture(scope="session")
def asem_result(asem_paths, asem_spec):
    """The pipeline of ``examples/asem/spec.yaml`` on the ASEM data (built once per test run)."""
    return build(asem_paths[0], asem_paths[1], asem_spec)
