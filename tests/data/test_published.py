"""Real published results: read exactly as published, with parsed year and rank beside the text."""

from __future__ import annotations

from icc.data.published import member_key, parse_rank, read_published


def test_every_row_keeps_its_source():
    rows = read_published()
    assert len(rows) == 81
    assert all(r.source_url.startswith("http") for r in rows)


def test_bilbao_2013_is_read_as_published():
    [bilbao] = [r for r in read_published() if r.city == "Bilbao" and r.year == 2013]
    assert (bilbao.score, bilbao.sample_size, bilbao.rank) == (64.0, 56, 21)
    assert "between Rotterdam (65%) and Subotica (63%)" in bilbao.rank_text


def test_ranks_are_parsed_only_when_plainly_stated():
    assert parse_rank("17th among the 93 cities in the sample; 12th among ...") == 17
    assert parse_rank("ranked 4th in the world among the global sample of 80 cities") == 4
    assert parse_rank("rank 32 among 75 participating cities") == 32
    assert parse_rank("'Among 100 cities Melitopol took 43rd place with 62 points out of 100'") == 43
    assert parse_rank("cited as ranking above Odesa (17th/93) in the same 93-city sample") is None


def test_a_sample_size_given_as_text_is_kept_as_text():
    [coimbra] = [r for r in read_published() if r.city == "Coimbra"]
    assert coimbra.sample_size is None and coimbra.sample_size_text.startswith("more than 50")


def test_published_names_are_matched_to_member_names():
    assert member_key("Odesa") == "odessa"
    assert member_key("Osmangazi-Bursa") == "bursa-osmangazi"
    assert member_key("Neuchâtel (canton)") is None
