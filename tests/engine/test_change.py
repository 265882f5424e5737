"""Progress between editions, within a framework and across a revision through the question mapping."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from numpy.testing import assert_allclose

from icc.engine import progress, progress_across, score_answers, translate_answers
from icc.framework import load_mapping

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_progress_is_the_difference_of_scores(tiny):
    before = score_answers(pd.DataFrame({"c1": ["no"]}, index=["Oslo"]), tiny)
    after = score_answers(pd.DataFrame({"c1": ["yes"], "c2": ["b"]}, index=["Oslo"]), tiny)
    assert_allclose(progress(before, after)["commitment"], [60.0], atol=1e-9)  # 0 → 3/5


def test_answers_are_translated_with_option_renames(tiny, tiny_old):
    mapping = load_mapping(FIXTURES / "tiny-old__tiny.yaml", tiny_old, tiny)
    t = translate_answers(pd.DataFrame({"o1": ["sometimes"], "o2": ["dont_know"]}), mapping)
    assert t.to_dict("records") == [{"c1": "partly", "e1": "dont_know"}]


def test_progress_crosses_the_revision_on_mapped_questions_only(tiny, tiny_old):
    mapping = load_mapping(FIXTURES / "tiny-old__tiny.yaml", tiny_old, tiny)
    old = pd.DataFrame({"o1": ["sometimes"], "o2": ["no"]}, index=["A"])
    new = pd.DataFrame({"c1": ["yes"], "c2": ["a"], "e1": ["partly"], "s1": [50], "p1": ["yes"]}, index=["A"])
    p = progress_across(old, tiny_old, new, tiny, mapping)
    # comparable scores use c1 (commitment) and e1 (edu) only: commitment 50 → 100, edu 0 → 50
    assert_allclose(p.loc["A", ["commitment", "edu", "lens"]].to_numpy(float), [50.0, 50.0, 50.0], atol=1e-9)
    # index_core on common questions: (2·50 + 0)/3 → (2·100 + 50)/3
    assert_allclose(p.loc["A", "index_core"], 250 / 3 - 100 / 3, atol=1e-9)
    assert "space" not in p.columns and "participation" not in p.columns


def test_progress_crosses_the_shipped_2011_to_2019_revision():
    from icc.data import demo
    from icc.framework import load_shipped, shipped_mapping

    old_fw, new_fw = load_shipped("icc-2011"), load_shipped("icc-2019")
    cities = [f"city-{i}" for i in range(40)]
    old = demo.generate_answers(old_fw, cities, 2015).droplevel("edition")
    new = demo.generate_answers(new_fw, cities, 2019).droplevel("edition")
    p = progress_across(old, old_fw, new, new_fw, shipped_mapping("icc-2011", "icc-2019"))
    assert list(p.index) == cities
    assert {"commitment", "education", "leadership", "index_core"} <= set(p.columns)
    assert p["index_core"].notna().all()
    assert p.abs().max().max() <= 100
    assert p["index_core"].mean() > 0  # the demo network progresses between 2015 and 2019


def test_question_counts_count_the_scored_questions_of_every_item(tiny):
    from icc.engine.change import question_counts

    counts = question_counts(tiny).set_index("item")
    by_hand = {
        item: sum(q.is_scored for q in questions)
        for area in tiny.areas
        for item, questions in [
            (area.id, area.questions + [q for s in area.subareas for q in s.questions]),
            *((s.id, s.questions) for s in area.subareas),
        ]
    }
    assert counts.loc[list(by_hand), "questions"].to_dict() == by_hand
    core = sum(by_hand[a.id] for a in tiny.areas if a.core)
    assert counts.loc["index_core", "questions"] == core
    assert counts.loc["index_extended", "questions"] == sum(by_hand[a.id] for a in tiny.areas)


def test_mapping_coverage_counts_per_area_the_questions_a_comparable_score_rests_on(tiny, tiny_old):
    from icc.engine.change import mapping_coverage

    mapping = load_mapping(FIXTURES / "tiny-old__tiny.yaml", tiny_old, tiny)
    cov = mapping_coverage(tiny_old, tiny, mapping).set_index("item")
    # the fixture maps o1 → c1 (commitment) and o2 → e1 (edu, a sub-area of the lens)
    assert cov.loc[["commitment", "edu", "lens", "space", "index_core"], "mapped"].tolist() == [1, 1, 1, 0, 2]
    assert (cov["mapped"] <= cov["questions"]).all()


def test_the_shipped_mapping_covers_every_area_it_can_and_names_the_ones_it_cannot():
    from icc.engine.change import mapping_coverage
    from icc.framework import load_shipped, shipped_mapping

    old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    cov = mapping_coverage(old, new, shipped_mapping("icc-2011", "icc-2019")).set_index("item")
    areas = cov[cov["level"] == "area"]
    assert set(areas.index[areas["mapped"] == 0]) == {"anti-discrimination", "participation", "interaction"}
    assert cov.loc["index_core", ["questions", "mapped"]].tolist() == [77, 49]
    assert areas.loc[["mediation", "media", "intelligence"], "mapped"].tolist() == [3, 4, 4]
    text = (Path(__file__).parents[2] / "src/icc/framework/definitions/mappings/icc-2011__icc-2019.yaml").read_text()
    for area in ("anti-discrimination", "participation", "interaction"):
        assert f"# - {area}" in text, f"the mapping file does not say why {area} has no mapped question"


#: Mapped questions whose 2019 top answer asks more than the 2011 question did: a 2011 top answer stops below it.
TOP_ASKS_MORE = {"media-monitoring": "2019's top answer adds a follow-up with editors (q11-media-cooperation)"}


def test_translated_2011_answers_keep_their_order_and_reach_the_2019_top_where_they_meant_it():
    from icc.framework import load_shipped, shipped_mapping

    old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    mapping = shipped_mapping("icc-2011", "icc-2019")
    for qm in mapping.questions:
        a, b = old.question(qm.from_), new.question(qm.to)
        if a.type not in ("single", "yes_partly_no", "multiple"):
            continue
        points = {o.id: o.points for o in b.options}
        if a.type == "multiple":
            every = ";".join(o.id for o in a.options)
            translated = translate_answers(pd.DataFrame({a.id: [every]}), mapping).iloc[0][b.id]
            earned = sum(points[v] for v in translated.split(";"))
            assert min(earned, b.maximum()) == b.maximum(), f"{a.id}: every 2011 option ticked stays below {b.id}'s top"
            continue
        ranked = sorted(a.options, key=lambda o: o.points)
        frame = pd.DataFrame({a.id: [o.id for o in ranked]})
        new_points = [points[v] for v in translate_answers(frame, mapping)[b.id]]
        assert new_points == sorted(new_points), f"{a.id} → {b.id}: a better 2011 answer becomes a worse one"
        if b.id not in TOP_ASKS_MORE:
            assert new_points[-1] == b.maximum(), f"{a.id}: its top answer cannot reach {b.id}'s top answer"


def test_few_or_no_segregated_schools_in_2011_is_the_top_answer_of_2019():
    from icc.framework import load_shipped, shipped_mapping

    old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    mapping = shipped_mapping("icc-2011", "icc-2019")
    t = translate_answers(
        pd.DataFrame({"q11-education-mixing": ["few-or-none"], "q11-governance-vote": ["all"]}), mapping
    )
    assert t.to_dict("records") == [{"education-mixing": "none", "leadership-local-vote": "all"}]
    assert {o.id: o.points for o in new.question("education-mixing").options}["none"] == 3
    assert old.question("q11-education-mixing").maximum() == 2


def test_the_methodology_docs_table_of_mapping_coverage_is_what_mapping_coverage_computes():
    import re

    from icc.engine.change import mapping_coverage
    from icc.framework import load_shipped, shipped_mapping

    docs = (Path(__file__).parents[2] / "docs" / "methodology.md").read_text(encoding="utf-8")
    section = docs[docs.index("## 8. ") : docs.index("## 9. ")]
    table = re.findall(r"^\| `([^`]+)` \| [^|]+ \| (\d+) \| (\d+) \|$", section, re.M)
    old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    cov = mapping_coverage(old, new, shipped_mapping("icc-2011", "icc-2019"))
    assert table == [(r.item, str(r.questions), str(r.mapped)) for r in cov.itertuples()]
