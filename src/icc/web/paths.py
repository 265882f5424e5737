"""Where the platform keeps its files: one rule for the settings and the command line (no Django needed)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]
"""The checkout (or installation) root: the folder holding ``src/``."""


def data_dir() -> Path:
    """``ICC_DATA_DIR``, else ``<project>/var``: the SQLite file, uploads and the local secret key."""
    return Path(os.environ.get("ICC_DATA_DIR") or PROJECT_DIR / "var")
