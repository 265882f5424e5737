"""The ``icc`` command: thin wrappers over the functions the web uses, with clear errors and progress bars.

One module per command group: :mod:`.demo` (``icc demo``, ``icc serve``), :mod:`.framework` (``icc framework
...``) and :mod:`.score` (``icc score``); :mod:`.common` holds what they share. The entry point is
``icc.cli:main``.
"""

from __future__ import annotations

import click

from .demo import demo, serve
from .framework import framework
from .score import score


@click.group()
@click.version_option(package_name="icc-index")
def main() -> None:
    """Intercultural Cities Index platform."""


for _command in (demo, serve, framework, score):
    main.add_command(_command)

__all__ = ["main"]
