"""``icc framework``: validate, export and import framework definitions (YAML or XLSX)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from .common import fail_framework, migrate, resolve_framework, setup_django


@click.group()
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


@framework.command("validate")
@click.argument("source")
def framework_validate(source: str) -> None:
    """Check a framework file (.yaml or .xlsx) or a shipped framework id; list every problem.

    Exit code 0: valid; 1: the file has problems (each listed on one line); 2: the file could not be checked.
    """
    from icc.framework import FrameworkError

    try:
        fw = resolve_framework(source)
    except FrameworkError as exc:  # reported problem by problem, exit code 1
        fail_framework(exc)
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
        fw = resolve_framework(source)
    except Exception as exc:
        fail_framework(exc)
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
        fail_framework(exc)
        return
    if not out and not store:
        raise click.ClickException("nothing to do: give --out FILE.yaml and/or --store")
    if store:
        setup_django()
        migrate()
        from icc.web.network.models import StoredFramework

        if StoredFramework.objects.filter(framework_id=fw.id, version=fw.version).exists():
            raise click.ClickException(
                f"{fw.id} version {fw.version} is already stored; stored versions are never rewritten — "
                "change 'version' in the file"
            )
        StoredFramework.objects.create(
            framework_id=fw.id,
            version=fw.version,
            loaded_at=datetime.now(UTC),
            definition=fw.model_dump(mode="json", by_alias=True),
        )
        click.echo(f"Stored {fw.id} {fw.version}")
    if out:
        Path(out).write_text(dump_yaml(fw), encoding="utf-8")
        click.echo(f"Wrote {out}")
