"""What the command groups share: the console, progress bars, Django start-up and framework errors."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    import pandas as pd

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


def write_csv(table: pd.DataFrame, out: str | Path, float_format: str | None = None) -> None:
    """Write ``table`` to ``out`` through a temporary file beside it: ``out`` is whole or untouched."""
    target = Path(out)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.resolve().parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            table.to_csv(handle, index=False, float_format=float_format)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csvs(tables: dict[str, pd.DataFrame], directory: str | Path) -> list[Path]:
    """Write ``name.csv`` for each table into ``directory`` (made if missing): all files are written to
    temporary names first, then renamed, so a failure leaves no half-written set behind."""
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"cannot create {folder}: {exc.strerror or exc}") from exc
    staged: list[tuple[str, Path]] = []
    try:
        for name, table in tables.items():
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                table.to_csv(handle, index=False)
            staged.append((tmp, folder / f"{name}.csv"))
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise click.ClickException(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]
