"""``icc demo`` and ``icc serve``: the demo network and the development server."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table

from .common import console, migrate, progress, setup_django


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
    """Migrate, load the demo network once (if the database is empty), print the demo logins and serve."""
    setup_django()
    migrate()
    from django.core.management import call_command

    from icc.web.network.models import City

    if not City.objects.exists():
        _load_demo()
    _print_logins()
    console.print(f"[bold]Serving on http://{host}:{port}/[/bold] (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False)
