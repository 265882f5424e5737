"""The ``icc`` command: thin wrappers over the functions the web uses, with clear errors and progress bars.

One module per command group: :mod:`.demo` (``icc demo``, ``icc serve``), :mod:`.framework` (``icc framework
...``), :mod:`.score` (``icc score``) and :mod:`.worker` (``icc worker``); :mod:`.common` holds what they share.
The entry point is ``icc.cli:main``.
"""

from __future__ import annotations

import click

from .composite import composite
from .demo import demo, serve
from .framework import framework
from .score import score
from .worker import worker


@click.group()
@click.version_option(package_name="icc-index")
def main() -> None:
    """Intercultural Cities Index platform."""


for _command in (demo, serve, framework, score, worker, composite):
    main.add_command(_command)

__all__ = ["main"]
