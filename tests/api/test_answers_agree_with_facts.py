"""The population and foreign-born share a city answered agree with the facts its published scores used."""

from __future__ import annotations

import io

import pandas as pd
import pytest

pytestmark = pytest.mark.django_db

FACT_QUESTIONS = {"fact-population": "population", "fact-foreign-born": "foreign_born"}


def test_the_answered_facts_are_the_facts_the_scores_used_in_every_edition(client):
    answers = pd.read_csv(io.StringIO(client.get("/api/v1/answers.csv").content.decode()), dtype=str)
    facts = pd.read_csv(io.StringIO(client.get("/api/v1/facts.csv").content.decode()))
    answered = answers[answers["question"].isin(FACT_QUESTIONS)]
    assert len(answered) > 121  # the demo answers its facts in the editions of the 2019 framework
    merged = answered.assign(edition=answered["edition"].astype(int)).merge(facts, on=["city", "edition"])
    assert len(merged) == len(answered)
    for question, column in FACT_QUESTIONS.items():
        rows = merged[merged["question"] == question]
        differ = rows[rows["answer"].astype(float) != rows[column]]
        assert differ.empty, differ[["city", "edition", "answer", column]].head().to_string()


def test_oslo_answers_the_population_its_page_shows(client):
    (row,) = [
        a
        for a in client.get("/api/v1/answers?city=oslo&edition=2025&page_size=10000").json()["items"]
        if a["question"] == "fact-population"
    ]
    (fact,) = client.get("/api/v1/facts?city=oslo&edition=2025").json()
    assert row["answer"] == "1082575" and fact["population"] == 1082575
    assert "1,082,575" in client.get("/cities/oslo/?edition=2025").content.decode()
