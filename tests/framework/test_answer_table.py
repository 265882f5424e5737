"""Reading the CSV tables of ``icc score``: every answer and fact checked by ``clean_answer``, every problem of
both files in one pass, each named by its line as a text editor numbers it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from icc.framework import load_shipped, load_yaml
from icc.framework.answer_table import (
    PROBLEMS_MAX,
    AnswerRow,
    FactRow,
    capped,
    read_answers,
    read_facts,
    read_scoring_input,
)
from icc.framework.answers import InvalidAnswer, clean_answer

FIXTURES = Path(__file__).parents[1] / "fixtures"
ICC = load_shipped("icc-2019")
TINY = load_yaml(FIXTURES / "tiny.yaml")
HEADER = "city,edition,question,answer\n"


def answers(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def problems(read) -> list[str]:
    return [str(p) for p in read.problems]


@pytest.mark.parametrize("word", ["N/A", "NA", "null", "None", "NaN", "n/a", "nan", "#N/A"])
def test_it_refuses_the_words_pandas_reads_as_missing(word):
    read = read_answers(ICC, answers(f"Oslo,2019,commitment-strategy,{word}", f"Oslo,2019,fact-population,{word}"))
    assert problems(read) == [
        f"answers.csv line 2, column answer: '{word}' is not an option; choose one of: yes, partly, no, or dont_know",
        f"answers.csv line 3, column answer: '{word}' is not a number",
    ]
    assert read.rows == []


def test_it_reads_only_an_empty_cell_as_unanswered():
    read = read_answers(ICC, answers("Oslo,2019,commitment-strategy,", 'Oslo,2019,commitment-action-plan,"  "'))
    assert read.problems == []
    assert [r.value for r in read.rows] == ["", ""]


def test_it_refuses_a_repeated_option_so_that_it_never_earns_more():
    read = read_answers(ICC, answers("Oslo,2019,mediation-settings,schools;schools;schools;schools;schools;schools"))
    assert read.rows == []
    [problem] = problems(read)
    assert problem.startswith("answers.csv line 2, column answer: “") and "is chosen twice" in problem


def test_it_refuses_an_exclusive_option_with_others():
    read = read_answers(ICC, answers("Oslo,2019,commitment-visibility,speeches;none"))
    assert problems(read) == [
        "answers.csv line 2, column answer: “None of these” cannot be combined with other options: choose it alone, "
        "or untick it"
    ]


def test_it_refuses_dont_know_with_options():
    read = read_answers(ICC, answers("Oslo,2019,mediation-settings,schools;dont_know"))
    assert problems(read) == ["answers.csv line 2, column answer: dont_know cannot be combined with other options"]


def test_it_reads_numbers_with_the_decimal_rules_of_english():
    read = read_answers(
        ICC,
        answers(
            'Oslo,2019,fact-population,"1,234"',
            "Oslo,2019,fact-foreign-born,12.50",
            "Bergen,2019,fact-population,1 234 567",
        ),
    )
    assert problems(read) == [
        "answers.csv line 2, column answer: '1,234' is ambiguous: write 1234 (or 1 234) for a whole number, or 1.234 "
        "for a decimal one"
    ]
    assert [(r.question, r.value) for r in read.rows] == [("fact-foreign-born", "12.5"), ("fact-population", "1234567")]


def test_it_lists_every_kind_of_problem_in_one_pass():
    read = read_answers(
        TINY,
        answers(
            "Oslo,2019,zz9,yes",
            "Oslo,2019,c1,maybe",
            ",2019,e1,yes",
            "Oslo,twenty,e1,yes",
            "Oslo,2019,,yes",
            "Oslo,2019,s1,150",
            "Oslo,2019,e2,x;x",
            "Oslo,2019,p1,yes",
            "Oslo,2019,p1,no",
            "Oslo,2019,c2",
        ),
    )
    assert problems(read) == [
        "answers.csv line 2, column question: unknown question 'zz9' (not in framework tiny 1.0)",
        "answers.csv line 3, column answer: 'maybe' is not an option; choose one of: yes, partly, no, or dont_know",
        "answers.csv line 4, column city: the city is empty",
        "answers.csv line 5, column edition: 'twenty' is not an edition: write the year of the edition, e.g. 2019",
        "answers.csv line 6, column question: the question is empty",
        "answers.csv line 7, column answer: 150 is above the maximum 100 (%)",
        "answers.csv line 8, column answer: “X” is chosen twice: choose each option once",
        "answers.csv line 10, column question: question 'p1' of Oslo 2019 is answered twice (first on line 9)",
        "answers.csv line 11: this row has 3 cells but the header names 4 columns (quote a cell that holds a comma: "
        '"a, b")',
    ]
    assert read.unknown_questions == ["zz9"]
    assert [(r.line, r.question, r.value) for r in read.rows] == [(9, "p1", "yes")]


def test_line_numbers_are_a_text_editors_even_with_blank_lines_and_cells_on_several_lines():
    data = (
        b'city,edition,question,answer\n\nOslo,2019,c1,"yes"\nOslo,2019,s1,"12\nand more"\n\r\nOslo,2019,e1,perhaps\n'
    )
    assert problems(read_answers(TINY, data)) == [
        "answers.csv line 4, column answer: '12\\nand more' is not a number",
        "answers.csv line 7, column answer: 'perhaps' is not an option; choose one of: yes, partly, no, or dont_know",
    ]


def test_it_names_the_missing_columns_and_the_ones_there_are():
    read = read_answers(TINY, b"town,edition,question,value\nOslo,2019,c1,yes\n")
    assert problems(read) == [
        "answers.csv line 1: missing column(s) city, answer; the file has town, edition, question, value"
    ]


def test_it_says_when_the_columns_are_separated_by_semicolons():
    read = read_answers(TINY, b"city;edition;question;answer\nOslo;2019;c1;yes\n")
    assert problems(read)[1] == (
        "answers.csv line 1: the columns seem separated by ; — separate them by commas (keep ; between the options "
        "of one answer)"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"",
            "answers.csv line 1: the file is empty: its first line must name the columns city, edition, question, "
            "answer",
        ),
        (HEADER.encode(), "answers.csv: the file has no answers: only its header line"),
        (
            HEADER.encode() + b"Oslo,2019,c1,yes\nK\xf8benhavn,2019,c1,yes\n",
            "answers.csv line 3: this line is not UTF-8 text: save the file as “CSV UTF-8”",
        ),
        (
            b"city,edition,question,answer,answer\n",
            "answers.csv line 1, column answer: column 'answer' appears twice in the header (columns 4 and 5)",
        ),
    ],
)
def test_it_refuses_a_file_it_cannot_read_as_a_table(data, expected):
    assert problems(read_answers(TINY, data)) == [expected]


def test_it_reads_a_byte_order_mark_and_extra_columns():
    read = read_answers(TINY, "\ufeffcity,edition,question,answer,comment\nOslo,2019,c1,Yes,checked\n".encode())
    assert read.problems == [] and read.rows == [AnswerRow(2, "Oslo", 2019, "c1", "yes")]


# --- facts ------------------------------------------------------------------------------------------------------


def test_it_checks_facts_against_the_fact_questions():
    data = (
        b"city,population,foreign_born\n"
        b"Oslo,-5,28\n"
        b"Bergen,285000,150\n"
        b"Lublin,many,N/A\n"
        b"Bilbao,350000,\n"
        b"Aarhus,dont_know,12.5\n"
    )
    read = read_facts(ICC, data)
    assert problems(read) == [
        "facts.csv line 2, column population: -5 is below the minimum 0 (inhabitants)",
        "facts.csv line 3, column foreign_born: 150 is above the maximum 100 (%)",
        "facts.csv line 4, column population: 'many' is not a number",
        "facts.csv line 4, column foreign_born: 'N/A' is not a number",
    ]
    assert read.rows == [FactRow(5, "Bilbao", None, 350000.0, None), FactRow(6, "Aarhus", None, None, 12.5)]


def test_a_framework_without_a_foreign_born_question_checks_it_as_the_shipped_one_does():
    assert problems(read_facts(TINY, b"city,population,foreign_born\nOslo,700000,101\n")) == [
        "facts.csv line 2, column foreign_born: 101 is above the maximum 100 (%)"
    ]


def test_facts_given_twice_and_by_edition():
    read = read_facts(TINY, b"city,edition,population,foreign_born\nOslo,2019,1,2\nOslo,2022,1,2\nOslo,2019,3,4\n")
    assert problems(read) == ["facts.csv line 4, column city: the facts of Oslo 2019 are given twice (first on line 2)"]
    assert read.has_edition and [r.edition for r in read.rows] == [2019, 2022]


def test_it_reports_the_problems_of_both_files_together():
    read = read_scoring_input(
        TINY, answers("Oslo,2019,c1,maybe"), b"city,population\nOslo,1\n", answers_name="a.csv", facts_name="f.csv"
    )
    assert [str(p) for p in read.problems] == [
        "a.csv line 2, column answer: 'maybe' is not an option; choose one of: yes, partly, no, or dont_know",
        "f.csv line 1: missing column(s) foreign_born; the file has city, population",
    ]


def test_capped_lists_at_most_fifty_and_says_how_many_more():
    read = read_answers(TINY, answers(*[f"Oslo,{2000 + i},c1,maybe" for i in range(60)]))
    shown, more = capped(read.problems)
    assert len(shown) == PROBLEMS_MAX and shown[-1].line == 51
    assert more == "… and 10 more problems (60 in all): fix these first"


def test_a_problem_can_be_shown_in_french():
    [problem] = read_answers(TINY, answers("Oslo,twenty,c1,yes")).problems
    assert problem.reason_in("fr") == "'twenty' n'est pas une édition : écrivez l'année de l'édition, par ex. 2019"
    [refusal] = read_facts(TINY, b"city,population,foreign_born\nOslo,1,150\n").problems
    assert refusal.reason_in("fr") == "150 est supérieur au maximum 100 (%)"


# --- one validator ----------------------------------------------------------------------------------------------

QUESTIONS = [q for q in ICC.questions() if not q.deprecated] + list(TINY.questions())
WORDS = [
    "N/A",
    "NA",
    "null",
    "None",
    "NaN",
    "dont_know",
    "Don't know",
    "",
    " ",
    "=1+1",
    "1,234",
    "1.234",
    "12,5",
    "-3",
    "150",
    "1e3",
    "100%",
    "1 234",
    "Yes",
    "En partie",
    "none",
]


@st.composite
def question_and_raw(draw):
    """A question and an answer typed for it: option ids and labels, numbers written many ways, the words pandas
    reads as missing, and any text, alone or joined as a multiple-choice answer is."""
    question = draw(st.sampled_from(QUESTIONS))
    ids = [o.id for o in question.options] + [o.label.get("en", "") for o in question.options]
    low, high = question.valid_range()
    number = st.integers(int(low or 0) - 5, int(high if high is not None else 10**6) + 5)
    valid = st.sampled_from(ids) if ids else number.map(str)
    part = st.one_of(
        valid,
        valid,
        number.map(str),
        st.tuples(number, st.integers(0, 999)).map(lambda p: f"{p[0]}.{p[1]}"),
        st.sampled_from(WORDS),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
    )
    parts = draw(
        st.lists(part, min_size=1, max_size=4 if question.type == "multiple" else draw(st.sampled_from([1, 1, 2])))
    )
    separator = draw(st.sampled_from([";", "; ", ",", " ; "]))
    return question, separator.join(parts)


@given(question_and_raw())
def test_it_accepts_exactly_the_answers_clean_answer_accepts(case):
    question, raw = case
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["city", "edition", "question", "answer"], ["Oslo", "2019", question.id, raw]])
    framework = TINY if any(question is q for q in TINY.questions()) else ICC
    read = read_answers(framework, buffer.getvalue().encode())
    try:
        expected = clean_answer(question, raw).value
    except InvalidAnswer as exc:
        event("refused")
        assert [(p.line, p.column, p.reason) for p in read.problems] == [(2, "answer", exc.reason)]
        assert read.rows == []
    else:
        event("accepted")
        assert read.problems == []
        assert read.rows == [AnswerRow(2, "Oslo", 2019, question.id, expected)]
