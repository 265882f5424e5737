"""Intercultural Cities Index platform."""

__version__ = "0.1.0"
