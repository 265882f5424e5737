"""``icc score`` on bad files: every problem of both files at once, by CSV line and column, exit code 1 and no
output file; a clean file scores as before."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from icc.cli import main

FIXTURES = Path(__file__).parents[1] / "fixtures"
TINY = str(FIXTURES / "tiny.yaml")
HEADER = "city,edition,question,answer\n"


@pytest.fixture
def score(tmp_path, monkeypatch):
    """Run ``icc score`` in ``tmp_path`` on the given answers (and facts) text; return the result and the scores
    read back (None when no output file was written)."""
    monkeypatch.chdir(tmp_path)

    def invoke(answers: str, facts: str | None = None, framework: str = TINY):
        Path("answers.csv").write_text(answers, encoding="utf-8")
        args = ["score", "--framework", framework, "--answers", "answers.csv", "--out", "scores.csv"]
        if facts is not None:
            Path("facts.csv").write_text(facts, encoding="utf-8")
            args += ["--facts", "facts.csv"]
        Path("scores.csv").unlink(missing_ok=True)
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert "Traceback" not in result.output
        return result, pd.read_csv("scores.csv") if Path("scores.csv").exists() else None

    return invoke


def problem_lines(output: str) -> list[str]:
    return [line.strip().removeprefix("• ") for line in output.splitlines() if line.strip().startswith("•")]


def test_it_lists_the_problems_of_both_files_in_one_pass_and_writes_nothing(score):
    result, table = score(
        HEADER + "Oslo,2019,zz9,yes\n" + "Oslo,2019,c1,N/A\n" + "Oslo,2019,s1,150\n" + "Bilbao,2019,c1,yes\n",
        "city,population,foreign_born\nOslo,-1,28\nBilbao,abc,150\n",
    )
    assert result.exit_code == 1
    assert table is None
    assert "6 problem(s); nothing was scored and nothing written:" in result.output
    assert problem_lines(result.output) == [
        "answers.csv line 2, column question: unknown question 'zz9' (not in framework tiny 1.0)",
        "answers.csv line 3, column answer: 'N/A' is not an option; choose one of: yes, partly, no, or dont_know",
        "answers.csv line 4, column answer: 150 is above the maximum 100 (%)",
        "facts.csv line 2, column population: -1 is below the minimum 0 (inhabitants)",
        "facts.csv line 3, column population: 'abc' is not a number",
        "facts.csv line 3, column foreign_born: 150 is above the maximum 100 (%)",
    ]
    assert "question ids not in tiny: zz9" in result.output


@pytest.mark.parametrize("word", ["N/A", "NA", "null", "None", "NaN"])
def test_it_refuses_the_words_that_pandas_reads_as_blank(score, word):
    result, table = score(HEADER + f"Oslo,2019,c1,{word}\n")
    assert result.exit_code == 1 and table is None
    assert problem_lines(result.output) == [
        f"answers.csv line 2, column answer: '{word}' is not an option; choose one of: yes, partly, no, or dont_know"
    ]


def test_a_repeated_option_is_refused_and_nothing_is_scored(score):
    result, table = score(HEADER + "Oslo,2019,e2,x;x;x;x;x;x\nBilbao,2019,e2,x;y\n")
    assert result.exit_code == 1 and table is None
    assert "answers.csv line 2, column answer: “X” is chosen twice: choose each option once" in result.output


def test_it_refuses_an_exclusive_option_with_others(score):
    result, table = score(HEADER + "Oslo,2019,commitment-visibility,none;speeches\n", framework="icc-2019")
    assert result.exit_code == 1 and table is None
    assert problem_lines(result.output) == [
        "answers.csv line 2, column answer: “None of these” cannot be combined with other options: choose it alone, "
        "or untick it"
    ]


def test_it_names_the_line_and_the_edition_it_cannot_read(score):
    result, table = score(HEADER + "Oslo,2019,c1,yes\n\nOslo,2030x,c1,no\n")
    assert result.exit_code == 1 and table is None
    assert problem_lines(result.output) == [
        "answers.csv line 4, column edition: '2030x' is not an edition: write the year of the edition, e.g. 2019"
    ]
    assert "np.int64" not in result.output


def test_it_names_the_missing_columns_and_those_the_file_has(score):
    result, table = score(HEADER + "Oslo,2019,c1,yes\n", "city,pop,foreign_born\nOslo,1,2\n")
    assert result.exit_code == 1 and table is None
    assert problem_lines(result.output) == [
        "facts.csv line 1: missing column(s) population; the file has city, pop, foreign_born"
    ]


def test_it_lists_fifty_problems_and_says_how_many_more(score):
    result, table = score(HEADER + "".join(f"City{i},2019,c1,maybe\n" for i in range(70)))
    assert result.exit_code == 1 and table is None
    lines = problem_lines(result.output)
    assert len(lines) == 50 and lines[-1].startswith("answers.csv line 51, column answer: 'maybe'")
    assert "… and 20 more problems (70 in all): fix these first" in result.output


def test_a_failed_run_leaves_an_earlier_output_file_as_it_was(score):
    Path("scores.csv").write_text("earlier scores\n")
    Path("answers.csv").write_text(HEADER + "Oslo,2019,c1,maybe\n")
    result = CliRunner().invoke(main, ["score", "--framework", TINY, "--answers", "answers.csv", "--out", "scores.csv"])
    assert result.exit_code == 1
    assert Path("scores.csv").read_text() == "earlier scores\n"
    assert sorted(p.name for p in Path().iterdir()) == ["answers.csv", "scores.csv"]  # no temporary file left


def test_it_scores_labels_grouped_numbers_and_facts_by_edition(score):
    result, table = score(
        HEADER + "Oslo,2019,c1,yes\nOslo,2019,c2,c\nBilbao,2019,c1,Partly\nBilbao,2019,c2,b\nLublin,2019,c1,no\n"
        "Oslo,2022,c1,no\n",
        "city,edition,population,foreign_born\nOslo,2019,700000,28\nBilbao,2019,350000,8\nLublin,2019,340000,\n"
        'Oslo,2022,"710,000.5",29.5\n',
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 28 scores of 4 responses to scores.csv" in result.output
    com = table[(table["item"] == "commitment") & (table["edition"] == 2019)].set_index("city")
    assert com["score"].to_dict() == {"Bilbao": 40.0, "Lublin": 0.0, "Oslo": 100.0}
    assert com["rank"].to_dict() == {"Bilbao": 2, "Lublin": 3, "Oslo": 1}
    assert com.loc["Bilbao", "size_group"] == "large" and pd.isna(com.loc["Lublin", "diversity_group"])
    assert (table["framework"] == "tiny 1.0").all()
