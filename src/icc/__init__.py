"""Intercultural Cities Index platform."""

from importlib.metadata import PackageNotFoundError, version

try:
    #: The platform's version: pyproject.toml's, read from the installed package's metadata (one source).
    __version__ = version("icc-index")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0+unknown"
