"""The ``icc`` command: thin wrappers over the functions the web uses, with clear errors and progress bars."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icc.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def _fail_framework(exc: Exception) -> None:
    from icc.framework import FrameworkError

    if isinstance(exc, FrameworkError):
        click.secho(f"{len(exc.problems)} problem(s); nothing was loaded:", fg="red", err=True)
        for p in exc.problems:
            click.echo(f"  • {p}", err=True)
        sys.exit(1)
    raise exc


@click.group()
@click.version_option(package_name="icc-index")
def main() -> None:
    """Intercultural Cities Index platform."""


# --------------------------------------------------------------------------------------------- demo / serve
def _load_demo() -> dict[str, int]:
    from icc.web.demo import load_demo

    with _progress() as bar:
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


@main.command()
@click.option(
    "--reset/--if-empty",
    default=True,
    help="Reload the demo network (default), or load it only when the database has no city yet.",
)
def demo(reset: bool) -> None:
    """Load or reset the demo network: 121 member cities, five editions of demo answers, scores, users."""
    _django()
    _migrate()
    from icc.web.network.models import City

    if not reset and City.objects.exists():
        console.print("The database already holds the network; nothing loaded (use --reset to reload).")
        return
    counts = _load_demo()
    console.print("Loaded: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    _print_logins()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, load the demo network once (if the database is empty), print the demo logins and serve."""
    _django()
    _migrate()
    from django.core.management import call_command

    from icc.web.network.models import City

    if not City.objects.exists():
        _load_demo()
    _print_logins()
    console.print(f"[bold]Serving on http://{host}:{port}/[/bold] (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port}", use_reloader=False)


# --------------------------------------------------------------------------------------------- framework
@main.group()
def framework() -> None:
    """Validate, export and import framework definitions (YAML or XLSX)."""


@framework.command("list")
def framework_list() -> None:
    """List the shipped frameworks."""
    from icc.framework import load_shipped, shipped_ids

    for fid in shipped_ids():
        fw = load_shipped(fid)
        n = len(fw.scored_questions())
        click.echo(f"{fw.id}\t{fw.version}\t{len(fw.areas)} areas\t{n} scored questions\t{fw.title.get('en', '')}")


def _resolve(source: str):
    from icc.framework import load_file, load_shipped, shipped_ids

    if source in shipped_ids():
        return load_shipped(source)
    if not Path(source).exists():
        raise click.ClickException(f"{source!r} is neither a file nor a shipped framework ({', '.join(shipped_ids())})")
    return load_file(source)


@framework.command("validate")
@click.argument("source")
def framework_validate(source: str) -> None:
    """Check a framework file (.yaml or .xlsx) or a shipped framework id; list every problem.

    Exit code 0: valid; 1: the file has problems (each listed on one line); 2: the file could not be checked.
    """
    from icc.framework import FrameworkError

    try:
        fw = _resolve(source)
    except FrameworkError as exc:  # reported problem by problem, exit code 1
        _fail_framework(exc)
        return
    except click.ClickException:
        raise
    except Exception as exc:  # the loaders turn bad files into problems; this is the last guard: no traceback
        click.secho(f"cannot check {source}: {type(exc).__name__}: {str(exc)[:300]}", fg="red", err=True)
        sys.exit(2)
    n = len(fw.scored_questions())
    click.echo(f"OK: {fw.id} {fw.version}: {len(fw.areas)} areas, {n} scored questions, {len(fw.facts)} facts")


@framework.command("export")
@click.argument("source")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Output file: .xlsx or .yaml")
def framework_export(source: str, out: str) -> None:
    """Export a framework (shipped id or file) to XLSX or YAML."""
    from icc.framework import dump_yaml
    from icc.framework.xlsx import export_xlsx

    try:
        fw = _resolve(source)
    except Exception as exc:
        _fail_framework(exc)
        return
    suffix = Path(out).suffix.lower()
    if suffix == ".xlsx":
        export_xlsx(fw, out)
    elif suffix in (".yaml", ".yml"):
        Path(out).write_text(dump_yaml(fw), encoding="utf-8")
    else:
        raise click.ClickException(f"--out must end in .xlsx or .yaml, not {suffix!r}")
    click.echo(f"Wrote {out}")


@framework.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), help="Write the validated definition as YAML here.")
@click.option(
    "--store/--no-store",
    default=False,
    help="Store it in the database as a new framework version (refused if that version exists).",
)
def framework_import(path: str, out: str | None, store: bool) -> None:
    """Import an edited framework (XLSX or YAML): validate everything, then write YAML and/or store it."""
    from icc.framework import dump_yaml, load_file

    try:
        fw = load_file(path)
    except Exception as exc:
        _fail_framework(exc)
        return
    if not out and not store:
        raise click.ClickException("nothing to do: give --out FILE.yaml and/or --store")
    if store:
        _django()
        _migrate()
        from icc.web.network.models import Framework

        if Framework.objects.filter(framework_id=fw.id, version=fw.version).exists():
            raise click.ClickException(
                f"{fw.id} version {fw.version} is already stored; stored versions are never rewritten — "
                "change 'version' in the file"
            )
        Framework.objects.create(
            framework_id=fw.id,
            version=fw.version,
            loaded_at=datetime.now(UTC),
            definition=fw.model_dump(mode="json", by_alias=True),
        )
        click.echo(f"Stored {fw.id} {fw.version}")
    if out:
        Path(out).write_text(dump_yaml(fw), encoding="utf-8")
        click.echo(f"Wrote {out}")


# --------------------------------------------------------------------------------------------- score
@main.command()
@click.option("--framework", "framework_source", required=True, help="Shipped framework id or a framework file.")
@click.option(
    "--answers",
    "answers_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns city, edition, question, answer (one row per answer).",
)
@click.option(
    "--facts",
    "facts_path",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns city, population, foreign_born (and optionally edition).",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Output CSV (long: one row per score).")
def score(framework_source: str, answers_path: str, facts_path: str | None, out: str) -> None:
    """Score answers with a framework: area scores, lens, core and extended index, ranks and peer-group ranks."""
    import pandas as pd

    from icc.engine import AnswerError, answers_from_long, score_network

    try:
        fw = _resolve(framework_source)
    except Exception as exc:
        _fail_framework(exc)
        return
    with _progress() as bar:
        task = bar.add_task("Reading answers", total=4)
        try:
            long = pd.read_csv(answers_path, dtype={"answer": str, "city": str, "question": str})
            answers = answers_from_long(long)
        except (ValueError, pd.errors.ParserError) as exc:
            raise click.ClickException(f"{answers_path}: {exc}") from exc
        unknown = sorted(set(answers.columns) - {q.id for q in fw.questions()})
        if unknown:
            raise click.ClickException(
                f"{answers_path}: question ids not in {fw.id}: {', '.join(unknown[:10])}"
                + (" …" if len(unknown) > 10 else "")
            )
        bar.update(task, advance=1, description="Reading facts")
        if facts_path:
            facts = pd.read_csv(facts_path, dtype={"city": str})
            missing = [c for c in ("city", "population", "foreign_born") if c not in facts.columns]
            if missing:
                raise click.ClickException(
                    f"{facts_path}: missing column(s) {', '.join(missing)}; it has {', '.join(facts.columns)}"
                )
            keys = ["city", "edition"] if "edition" in facts.columns else ["city"]
            facts = facts.set_index(keys)[["population", "foreign_born"]]
        else:
            facts = pd.DataFrame(columns=["population", "foreign_born"], index=pd.Index([], name="city"))
        bar.update(task, advance=1, description=f"Scoring {len(answers)} responses")
        try:
            table = score_network(answers, facts, fw)
        except AnswerError as exc:
            raise click.ClickException(f"{answers_path}: {exc}") from exc
        bar.update(task, advance=1, description=f"Writing {out}")
        table.insert(2, "framework", f"{fw.id} {fw.version}")
        table.to_csv(out, index=False, float_format="%.6g")
        bar.update(task, advance=1, description="Done")
    click.echo(f"Wrote {len(table)} scores of {len(answers)} responses to {out}")


if __name__ == "__main__":
    main()
