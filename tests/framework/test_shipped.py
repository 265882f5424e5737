"""The shipped index definitions: complete, bilingual, and with a valid mapping across the 2019 revision."""

from __future__ import annotations

import pytest

from icc.framework import load_shipped, shipped_ids, shipped_mapping
from icc.framework.schema import CHOICE_TYPES


def test_both_generations_are_shipped():
    assert shipped_ids() == ["icc-2011", "icc-2019"]


def test_icc_2019_has_ten_core_areas_and_two_extended_ones():
    fw = load_shipped("icc-2019")
    core = [a.id for a in fw.areas if a.core]
    extended = [a.id for a in fw.areas if not a.core]
    assert core == [
        "commitment",
        "lens",
        "mediation",
        "language",
        "media",
        "international",
        "intelligence",
        "welcoming",
        "leadership",
        "anti-discrimination",
    ]
    assert extended == ["participation", "interaction"]
    lens = fw.area("lens")
    assert [s.id for s in lens.subareas] == [
        "education",
        "neighbourhoods",
        "public-services",
        "business",
        "cultural-life",
        "public-space",
    ]
    assert 85 <= len(fw.scored_questions()) <= 90


def test_icc_2011_has_fourteen_indicators():
    fw = load_shipped("icc-2011")
    indicators = [s.id for a in fw.areas for s in a.subareas] + [a.id for a in fw.areas if not a.subareas]
    assert len(indicators) == 14
    assert 66 <= len(fw.scored_questions()) <= 76
    assert fw.peer_groups.population[1].min == 200_000 and fw.peer_groups.foreign_born[1].min == 15


def test_icc_2019_uses_the_default_bands():
    fw = load_shipped("icc-2019")
    assert [(b.min, b.max) for b in fw.peer_groups.population] == [
        (None, 100_000),
        (100_000, 200_000),
        (200_000, 500_000),
        (500_000, None),
    ]
    assert [(b.min, b.max) for b in fw.peer_groups.foreign_born] == [(None, 10), (10, 15), (15, 20), (20, None)]


def test_every_text_is_in_english_and_french_and_no_question_is_a_placeholder():
    for fid in shipped_ids():
        fw = load_shipped(fid)
        for q in fw.questions():
            for lang in ("en", "fr"):
                assert len(q.text[lang]) > 15, (fid, q.id, lang)
                assert "question" not in q.text[lang].lower().split()[:2], (fid, q.id)
            if q.is_scored:
                assert q.recommendation and all(len(q.recommendation[lang]) > 20 for lang in ("en", "fr")), q.id


def test_the_facts_place_a_city_in_its_peer_groups():
    for fid in shipped_ids():
        ids = {q.id for q in load_shipped(fid).facts}
        assert {"fact-population", "fact-foreign-born"} <= ids


def test_the_questionnaire_uses_every_question_type_and_skip_logic():
    fw = load_shipped("icc-2019")
    types = {q.type for q in fw.questions()}
    assert types >= {"yes_partly_no", "single", "multiple", "percentage", "number"}
    assert sum(1 for q in fw.questions() if q.applies_if) >= 5
    assert {q.data_type for q in fw.questions()} == {"fact", "input", "impact"}


def test_the_2011_to_2019_mapping_links_comparable_questions():
    mapping = shipped_mapping("icc-2011", "icc-2019")
    assert mapping is not None
    assert len(mapping.questions) >= 30
    old, new = load_shipped("icc-2011"), load_shipped("icc-2019")
    for qm in mapping.questions:
        a, b = old.question(qm.from_), new.question(qm.to)
        assert (a.type in CHOICE_TYPES) == (b.type in CHOICE_TYPES)


def test_the_2011_index_weighs_its_fourteen_indicators():
    from icc.engine import compile_framework

    spec = compile_framework(load_shipped("icc-2011"))
    assert len(spec.index_items) == 14
    weights = dict(zip(spec.index_items, spec.index_weights, strict=False))
    assert weights["commitment"] == 2 and weights["governance"] == 2 and weights["education"] == 1


def test_marking_options_exclusive_changes_no_score_but_changing_points_does():
    from icc.framework.schema import same_scores

    fw = load_shipped("icc-2019")
    before = fw.model_copy(deep=True)
    for q in before.questions():
        for o in q.options:
            o.exclusive = False
    assert before != fw and same_scores(before, fw)
    before.question("commitment-visibility").options[0].points = 2
    assert not same_scores(before, fw)


def test_a_stored_version_of_before_translated_units_and_index_names_scores_the_same():
    """Databases made before 0.4 store ``unit: inhabitants`` and no index names: they may be refreshed in place."""
    from icc.framework.schema import Framework, same_scores

    fw = load_shipped("icc-2019")
    data = fw.model_dump(mode="json", by_alias=True)
    data.pop("index_names")
    data["facts"][0]["unit"] = "inhabitants"
    before = Framework.model_validate(data)
    assert before != fw and same_scores(before, fw)


@pytest.mark.parametrize("framework_id", ["icc-2011", "icc-2019"])
def test_the_index_names_come_from_the_framework_in_both_languages(framework_id):
    fw = load_shipped(framework_id)
    assert fw.item_names("en")["index_core"] == "Core index"
    assert fw.item_names("fr")["index_core"] == "Indice principal"
