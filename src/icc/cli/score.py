"""``icc score``: score a CSV of answers (and facts) with a framework into a long CSV of scores and ranks."""

from __future__ import annotations

import click

from .common import fail_framework, progress, resolve_framework


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
    """Score answers with a framework: area scores, lens, core and extended index, ranks and peer-group ranks."""
    import pandas as pd

    from icc.engine import AnswerError, answers_from_long, score_network

    try:
        fw = resolve_framework(framework_source)
    except Exception as exc:
        fail_framework(exc)
        return
    with progress() as bar:
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
