"""The ``icc`` command: scoring a CSV, validating, exporting and importing frameworks, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from icc.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_score_writes_a_long_csv_with_ranks(run, tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "city,edition,question,answer\n"
        "Oslo,2019,c1,yes\nOslo,2019,c2,c\nBilbao,2019,c1,partly\nBilbao,2019,c2,b\n"
        "Lublin,2019,c1,no\n",
        encoding="utf-8",
    )
    facts = tmp_path / "facts.csv"
    facts.write_text("city,population,foreign_born\nOslo,700000,28\nBilbao,350000,8\nLublin,340000,2\n")
    out = tmp_path / "scores.csv"
    result = run(
        "score",
        "--framework",
        str(FIXTURES / "tiny.yaml"),
        "--answers",
        str(answers),
        "--facts",
        str(facts),
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    com = table[table["item"] == "commitment"].set_index("city")
    assert com.loc["Oslo", "score"] == 100 and com.loc["Bilbao", "score"] == 40 and com.loc["Lublin", "score"] == 0
    assert com["rank"].to_dict() == {"Oslo": 1, "Bilbao": 2, "Lublin": 3}
    assert (
        com.loc["Bilbao", "rank_size"] == 2
        and com.loc["Bilbao", "rank_diversity"] == 1
        and com.loc["Bilbao", "size_group"] == "large"
    )
    assert set(table.columns) >= {
        "city",
        "edition",
        "framework",
        "level",
        "item",
        "score",
        "rank",
        "rank_size",
        "rank_diversity",
        "rank_combined",
    }
    assert (table["framework"] == "tiny 1.0").all()


def test_score_reports_invalid_answers_and_writes_nothing(run, tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("city,edition,question,answer\nOslo,2019,c1,maybe\n")
    out = tmp_path / "scores.csv"
    result = run("score", "--framework", str(FIXTURES / "tiny.yaml"), "--answers", str(answers), "--out", str(out))
    assert result.exit_code == 1
    assert "answers.csv line 2, column answer: 'maybe' is not an option; choose one of: yes, partly" in result.output
    assert not out.exists()


def test_score_names_unknown_questions(run, tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("city,edition,question,answer\nOslo,2019,zz9,yes\n")
    result = run(
        "score", "--framework", str(FIXTURES / "tiny.yaml"), "--answers", str(answers), "--out", str(tmp_path / "o.csv")
    )
    assert result.exit_code == 1 and "question ids not in tiny: zz9" in result.output


def test_validate_lists_every_problem_and_fails(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (FIXTURES / "tiny.yaml").read_text(encoding="utf-8").replace("weight: 2", "weight: -1"), encoding="utf-8"
    )
    result = run("framework", "validate", str(bad))
    assert result.exit_code == 1
    assert "1 problem(s); nothing was loaded" in result.output
    assert "line 23 / areas[0].weight: weight must be greater than 0" in result.output


def test_validate_accepts_the_shipped_frameworks(run):
    result = run("framework", "validate", "icc-2019")
    assert result.exit_code == 0 and result.output.startswith("OK: icc-2019")


def test_export_then_import_gives_the_same_definition(run, tmp_path):
    xlsx, yaml_out = tmp_path / "fw.xlsx", tmp_path / "fw.yaml"
    assert run("framework", "export", "icc-2019", "--out", str(xlsx)).exit_code == 0
    assert run("framework", "import", str(xlsx), "--out", str(yaml_out)).exit_code == 0
    from icc.framework import load_shipped, load_yaml

    assert load_yaml(yaml_out) == load_shipped("icc-2019")
