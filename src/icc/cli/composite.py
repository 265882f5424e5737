"""``icc composite``: the general composite-indicator toolkit on CSV files (COINr's ``iData``/``iMeta`` layout).

Every command reads and checks all its inputs before computing, computes before writing, and writes each file
whole (a temporary file renamed into place): a bad input is a message naming the file, row or key and what is
valid, exit code 1, and nothing written.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import console, progress, write_csv, write_csvs

if TYPE_CHECKING:
    from icc.engine.uncertainty import Assumptions, CompositeModel, Design

_FILE = click.Path(exists=True, dir_okay=False)


def _inputs(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--spec", "spec_path", type=_FILE, help="Pipeline spec (YAML); without it: arithmetic mean.")(f)
    f = click.option("--meta", "meta_path", required=True, type=_FILE, help="Metadata CSV (iCode, Level, Parent, …).")(
        f
    )
    return click.option("--data", "data_path", required=True, type=_FILE, help="Unit CSV (uCode, uName, …).")(f)


def _fail(exc: Exception) -> None:
    click.secho("Nothing was written:", fg="red", err=True)
    click.echo(str(exc), err=True)
    sys.exit(1)


def _model(data_path: str, meta_path: str, spec_path: str | None) -> CompositeModel:
    from icc.engine.composite import Spec
    from icc.engine.uncertainty import CompositeModel

    spec = Spec.read(spec_path) if spec_path else Spec.parse(None)
    return CompositeModel.from_inputs(data_path, meta_path, spec)


@click.group()
def composite() -> None:
    """Build, audit and test the robustness of any composite indicator (guide: docs/composite.md)."""


@composite.command()
@_inputs
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="results.csv: one row per unit.")
@click.option("--stages", "stages_dir", type=click.Path(file_okay=False), help="Also write each step's table here.")
def build(data_path: str, meta_path: str, spec_path: str | None, out: str, stages_dir: str | None) -> None:
    """Run the pipeline: uCode, uName, each indicator's normalised value, each aggregate's score, Rank."""
    from icc.engine.composite import Spec, SpecError, stage_tables
    from icc.engine.composite import build as run

    try:
        spec = Spec.read(spec_path) if spec_path else Spec.parse(None)
        result = run(data_path, meta_path, spec)
    except SpecError as exc:
        _fail(exc)
        return
    for step, lines in result.logs.items():
        console.print(f"[bold]{step}[/bold]: " + "; ".join(lines[:6]) + (" …" if len(lines) > 6 else ""))
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
    tables = stage_tables(result) if stages_dir else {}
    write_csv(result.table(), out)
    if stages_dir:
        write_csvs(tables, stages_dir)
        click.echo(f"Wrote {len(tables)} stage tables to {stages_dir}")
    click.echo(f"Wrote {len(result.scores)} units × {len(result.hierarchy.codes)} codes to {out}")


@composite.command()
@_inputs
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory for the audit tables.")
@click.option("--collinear", default=0.9, show_default=True, help="Flag siblings with |r| above this.")
@click.option("--barely", default=0.25, show_default=True, help="Flag indicators whose removal moves fewer ranks.")
def audit(data_path: str, meta_path: str, spec_path: str | None, out: str, collinear: float, barely: float) -> None:
    """Correlations, Cronbach's alpha, PCA, removal effects and flags, as CSV plus summary.txt."""
    from icc.engine.audit import audit as run_audit
    from icc.engine.composite import Spec, SpecError
    from icc.engine.composite import build as run

    try:
        spec = Spec.read(spec_path) if spec_path else Spec.parse(None)
        result = run(data_path, meta_path, spec)
    except SpecError as exc:
        _fail(exc)
        return
    report = run_audit(result, collinear, barely)
    write_csvs(report.tables(), out)
    summary = report.summary()
    (Path(out) / "summary.txt").write_text(summary, encoding="utf-8")
    click.echo(summary, nl=False)
    click.echo(f"Wrote {len(report.tables())} tables and summary.txt to {out}")


def _study_inputs(
    data_path: str,
    meta_path: str,
    spec_path: str | None,
    assumptions_path: str,
    seed: int | None,
    design_path: str | None,
    sets_path: str | None,
    draw: Callable[[Any, Any, Any], Design],
) -> tuple[CompositeModel, Assumptions, Any, Design]:
    """The model, the assumptions, the seeded generator and the design (replayed from ``design_path``, or drawn)."""
    import numpy as np

    from icc.engine.uncertainty import read_assumptions, read_design

    model = _model(data_path, meta_path, spec_path)
    assumptions = read_assumptions(assumptions_path, model.hierarchy, model.spec)
    rng = np.random.default_rng(seed)
    if design_path:
        design = read_design(design_path, assumptions, model.hierarchy, sets_path, model.nominal_weights())
    else:
        design = draw(assumptions, rng, model)
    return model, assumptions, rng, design


def _study_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--save-design",
        type=click.Path(file_okay=False),
        help="Write the runs used (design.csv, weight-sets.csv) here, to replay them.",
    )(f)
    f = click.option("--weight-sets", "sets_path", type=_FILE, help="Weight sets of a replayed design.")(f)
    f = click.option("--design", "design_path", type=_FILE, help="Replay these runs instead of drawing them.")(f)
    f = click.option(
        "--per-run",
        type=click.Path(dir_okay=False),
        help="Also write every run's rank of every unit (run, then one column per uCode), to compare run by run.",
    )(f)
    f = click.option(
        "--seed", type=int, default=None, help="Seed of the random design (and of the bootstrap): reproducible."
    )(f)
    return click.option("--assumptions", "assumptions_path", required=True, type=_FILE, help="Assumptions YAML.")(f)


def _run_with_bar(label: str, total: int, fn: Callable[[Callable[[int, int, str], None]], Any]) -> Any:
    with progress() as bar:
        task = bar.add_task(label, total=total)

        def report(done: int, all_runs: int, stage: str) -> None:
            bar.update(task, completed=done, total=all_runs)

        return fn(report)


def _save_design(design: Design, assumptions: Assumptions, model: CompositeModel, folder: str) -> None:
    """``design.csv`` and ``weight-sets.csv``: the runs a study used, to replay them (``--design``)."""
    write_csvs({"design": design.table(assumptions), "weight-sets": design.weight_table(model.hierarchy)}, folder)


def _per_run(ranks: Any, units: Any, output: Any = None) -> Any:
    """Run number, (the sensitivity output,) then each unit's rank in that run."""
    import numpy as np
    import pandas as pd

    table = pd.DataFrame(ranks, columns=[str(u) for u in units])
    if output is not None:
        table.insert(0, "Output", np.round(output, 12))
    table.insert(0, "run", np.arange(1, len(table) + 1))
    return table


def _check_design_choice(
    design_path: str | None, count: int | None, seed: int | None, what: str, seed_with_design: bool = False
) -> None:
    if design_path and (count is not None or (seed is not None and not seed_with_design)):
        also = "" if not seed_with_design else " (--seed may stay: it seeds the bootstrap)"
        raise click.UsageError(f"give either --design (and --weight-sets) or {what} with --seed, not both{also}")
    if not design_path and count is None:
        raise click.UsageError(f"give {what} (and --seed) or --design to replay runs")


@composite.command()
@_inputs
@_study_options
@click.option("--runs", type=click.IntRange(min=1), help="Number of random runs.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="rankstats.csv")
def uncertainty(
    data_path: str,
    meta_path: str,
    spec_path: str | None,
    assumptions_path: str,
    seed: int | None,
    design_path: str | None,
    sets_path: str | None,
    save_design: str | None,
    per_run: str | None,
    runs: int | None,
    out: str,
) -> None:
    """Uncertainty analysis: per unit the nominal rank and the mean, median, 5th and 95th percentile rank."""

    from icc.engine.composite import SpecError
    from icc.engine.uncertainty import draw_design
    from icc.engine.uncertainty import uncertainty as run_ua

    _check_design_choice(design_path, runs, seed, "--runs")
    started = time.perf_counter()
    try:
        model, assumptions, rng, design = _study_inputs(
            data_path,
            meta_path,
            spec_path,
            assumptions_path,
            seed,
            design_path,
            sets_path,
            lambda a, r, m: draw_design(a, int(runs or 0), r, m.hierarchy, m.nominal_weights()),
        )
        study = _run_with_bar(f"{design.runs} runs", design.runs, lambda p: run_ua(model, assumptions, design, p))
    except SpecError as exc:
        _fail(exc)
        return
    write_csv(study.stats, out)
    if per_run:
        write_csv(_per_run(study.ranks, model.units), per_run)
    if save_design:
        _save_design(design, assumptions, model, save_design)
    click.echo(f"{design.runs} runs in {time.perf_counter() - started:.2f} s; wrote {len(study.stats)} units to {out}")


@composite.command()
@_inputs
@_study_options
@click.option("--n", "n", type=click.IntRange(min=2), help="Base sample size N: N(d + 2) runs.")
@click.option(
    "--bootstrap",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Bootstrap resamples for the 5–95 % intervals.",
)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="indices.csv")
@click.option("--rank-stats", type=click.Path(dir_okay=False), help="Also write the rank statistics of A and B.")
def sensitivity(
    data_path: str,
    meta_path: str,
    spec_path: str | None,
    assumptions_path: str,
    seed: int | None,
    design_path: str | None,
    sets_path: str | None,
    save_design: str | None,
    per_run: str | None,
    n: int | None,
    bootstrap: int,
    out: str,
    rank_stats: str | None,
) -> None:
    """Variance-based sensitivity analysis: first- and total-order index of each assumption on the ranks."""

    from icc.engine.composite import SpecError
    from icc.engine.sensitivity import saltelli_design
    from icc.engine.sensitivity import sensitivity as run_sa

    _check_design_choice(design_path, n, seed, "--n", seed_with_design=True)
    started = time.perf_counter()
    try:
        model, assumptions, rng, design = _study_inputs(
            data_path,
            meta_path,
            spec_path,
            assumptions_path,
            seed,
            design_path,
            sets_path,
            lambda a, r, m: saltelli_design(a, int(n or 0), r, m.hierarchy, m.nominal_weights()),
        )
        study = _run_with_bar(
            f"{design.runs} runs", design.runs, lambda p: run_sa(model, assumptions, design, n, bootstrap, rng, p)
        )
    except SpecError as exc:
        _fail(exc)
        return
    write_csv(study.indices, out)
    if rank_stats:
        write_csv(study.stats, rank_stats)
    if per_run:
        write_csv(_per_run(study.ranks, model.units, output=study.output), per_run)
    if save_design:
        _save_design(design, assumptions, model, save_design)
    click.echo(f"{design.runs} runs in {time.perf_counter() - started:.2f} s; wrote {out}")
