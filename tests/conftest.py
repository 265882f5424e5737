"""Shared fixtures: small framework files and the shipped frameworks."""

from __future__ import annotations

from pathlib import Path

import pytest

from icc.framework import load_yaml

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny():
    """A three-area framework whose scores are computed by hand in the tests."""
    return load_yaml(FIXTURES / "tiny.yaml")


@pytest.fixture(scope="session")
def tiny_old():
    return load_yaml(FIXTURES / "tiny-old.yaml")
