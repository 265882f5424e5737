"""``icc score``: score a CSV of answers (and facts) with a framework into a long CSV of scores and ranks.

The files are read and checked by :mod:`icc.framework.answer_table` (every problem of both files in one pass,
by line and column); this module prints what it found and writes the scores all or nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import fail_framework, progress, resolve_framework, write_csv

if TYPE_CHECKING:
    import pandas as pd

    from icc.framework.answer_table import ScoringInput


def _print_problems(read: ScoringInput, framework_id: str) -> None:
    from icc.framework.answer_table import capped

    shown, more = capped(read.problems)
    click.secho(f"{len(read.problems)} problem(s); nothing was scored and nothing written:", fg="red", err=True)
    for p in shown:
        click.echo(f"  • {p}", err=True)
    if more:
        click.echo(f"  {more}", err=True)
    if read.unknown_questions:
        ids = read.unknown_questions
        click.echo(
            f"question ids not in {framework_id}: {', '.join(ids[:10])}" + (" …" if len(ids) > 10 else ""), err=True
        )


def _tables(read: ScoringInput) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The wide answers table and the facts table the engine takes."""
    import pandas as pd

    from icc.engine import answers_from_long

    long = pd.DataFrame(
        [(a.city, a.edition, a.question, a.value or None) for a in read.answers],
        columns=["city", "edition", "question", "answer"],
    )
    answers = answers_from_long(long)
    keys = ["city", "edition"] if read.facts_by_edition else ["city"]
    facts = pd.DataFrame(
        [(f.city, f.edition, f.population, f.foreign_born) for f in read.facts or []],
        columns=["city", "edition", "population", "foreign_born"],
    ).astype({"population": float, "foreign_born": float})
    return answers, facts.set_index(keys)[["population", "foreign_born"]]


@click.command()
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
    """Score answers with a framework: area scores, lens, core and extended index, ranks and peer-group ranks.

    Every answer and fact is checked as the web form checks it; every problem of both files is listed with its
    line and column (exit code 1), and then nothing is written.
    """
    from icc.engine import AnswerError, score_network
    from icc.framework.answer_table import read_scoring_input

    try:
        fw = resolve_framework(framework_source)
    except Exception as exc:
        fail_framework(exc)
        return
    with progress() as bar:
        task = bar.add_task("Reading answers and facts", total=3)
        read = read_scoring_input(
            fw,
            Path(answers_path).read_bytes(),
            Path(facts_path).read_bytes() if facts_path else None,
            answers_name=answers_path,
            facts_name=facts_path or "",
        )
        if read.problems:
            bar.stop()
            _print_problems(read, fw.id)
            sys.exit(1)
        answers, facts = _tables(read)
        bar.update(task, advance=1, description=f"Scoring {len(answers)} responses")
        try:
            table = score_network(answers, facts, fw)
        except AnswerError as exc:  # the checks above refuse what the engine would: this is the last guard
            raise click.ClickException(f"{answers_path}: {exc}") from exc
        bar.update(task, advance=1, description=f"Writing {out}")
        table.insert(2, "framework", f"{fw.id} {fw.version}")
        write_csv(table, out, float_format="%.6g")
        bar.update(task, advance=1, description="Done")
    click.echo(f"Wrote {len(table)} scores of {len(answers)} responses to {out}")
