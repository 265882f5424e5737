"""``icc demo`` and ``icc serve``: the demo network and the development server."""

from __future__ import annotations

import os
import secrets
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from .common import console, migrate, progress, setup_django


def _local_secret_key() -> Path:
    """The data directory's secret key file, made on first use (readable by its owner only)."""
    from icc.web.paths import data_dir

    path = data_dir() / "secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50) + "\n")
    return path


def _load_demo() -> dict[str, int]:
    from icc.web.demo import load_demo

    with progress() as bar:
        task = bar.add_task("Loading the demo network", total=5)

        def step(name: str, done: int, total: int) -> None:
            bar.update(task, description=f"Demo network: {name}", completed=done, total=total)

        counts = load_demo(datetime.now(UTC), progress=step)
    return counts


def _print_logins() -> None:
    from icc.web.demo import DEMO_USERS

    table = Table(title="Demo logins (demo data only: change them before real use)")
    table.add_column("user")
    table.add_column("password")
    table.add_column("who")
    for u in DEMO_USERS:
        table.add_row(u.username, u.password, u.label)
    Console().print(table)


@click.command()
@click.option(
    "--reset/--if-empty",
    default=True,
    help="Reload the demo network (default), or load it only when the database has no city yet.",
)
def demo(reset: bool) -> None:
    """Load or reset the demo network: 121 member cities, five editions of demo answers, scores, users."""
    setup_django()
    migrate()
    from icc.web.network.models import City

    if not reset and City.objects.exists():
        console.print("The database already holds the network; nothing loaded (use --reset to reload).")
        return
    counts = _load_demo()
    console.print("Loaded: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    _print_logins()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, load the demo network once (if the database is empty), print the demo logins and serve, with a
    background-job worker beside the server (stopped with it).

    The pages are the ones a visitor gets (``ICC_DEBUG=0``: styled error pages, no tracebacks) unless ``ICC_DEBUG``
    is set; without ``ICC_SECRET_KEY`` a key is made once and kept in the data directory (sessions survive a
    restart)."""
    os.environ.setdefault("ICC_DEBUG", "0")
    if not os.environ.get("ICC_SECRET_KEY"):
        os.environ["ICC_SECRET_KEY_FILE"] = str(_local_secret_key())
    setup_django()
    migrate()
    from django.core.management import call_command

    from icc.web.network.models import City

    if not City.objects.exists():
        _load_demo()
    _print_logins()
    from .worker import start_beside, stop

    worker = start_beside()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a plain `kill` also stops the worker (finally below)
    console.print(f"[bold]Serving on http://{host}:{port}/[/bold] (Ctrl+C to stop)")
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False)
    finally:
        if worker is not None:
            stop(worker)
