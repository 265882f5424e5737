"""The API is tested on the demo network (published scores only), loaded once by tests/conftest.py."""

from __future__ import annotations
