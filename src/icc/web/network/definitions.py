"""The framework definition behind a stored framework version or an edition, validated once per process."""

from __future__ import annotations

from functools import lru_cache

from icc.framework import Framework as Definition

from .models import Edition, StoredFramework


@lru_cache(maxsize=8)
def stored_definition(framework_pk: int, version: str) -> Definition:
    """The definition of a stored framework version (cached: a stored version is never rewritten where it could
    change a score; ``version`` is part of the key)."""
    return StoredFramework.objects.get(pk=framework_pk).load()


def definition_of(edition: Edition) -> Definition:
    """The framework definition an edition is answered and scored with."""
    return stored_definition(edition.framework_id, edition.framework.version)
