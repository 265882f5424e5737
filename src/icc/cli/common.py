"""What the command groups share: the console, progress bars, Django start-up and framework errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from icc.framework import Framework

console = Console(stderr=True)


def progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icc.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def fail_framework(exc: Exception) -> None:
    """Print a :class:`icc.framework.FrameworkError` problem by problem and exit with code 1; re-raise others."""
    from icc.framework import FrameworkError

    if isinstance(exc, FrameworkError):
        click.secho(f"{len(exc.problems)} problem(s); nothing was loaded:", fg="red", err=True)
        for p in exc.problems:
            click.echo(f"  • {p}", err=True)
        sys.exit(1)
    raise exc


def resolve_framework(source: str) -> Framework:
    """A shipped framework by id, or the framework in the file ``source``."""
    from icc.framework import load_file, load_shipped, shipped_ids

    if source in shipped_ids():
        return load_shipped(source)
    if not Path(source).exists():
        raise click.ClickException(f"{source!r} is neither a file nor a shipped framework ({', '.join(shipped_ids())})")
    return load_file(source)
