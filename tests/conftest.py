"""Shared fixtures: small framework files and the shipped frameworks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from icc.framework import load_yaml

# repeatable property tests by default (CI must not pass or fail by chance); HYPOTHESIS_PROFILE=explore searches
# with fresh random examples, e.g. before a release
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def tiny():
    """A three-area framework whose scores are computed by hand in the tests."""
    return load_yaml(FIXTURES / "tiny.yaml")


@pytest.fixture(scope="session")
def tiny_old():
    return load_yaml(FIXTURES / "tiny-old.yaml")
