"""Evidence as it is stored: clean texts within a limit, and web links only, one per line."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from icc.framework.answers import (
    LINK_MAX,
    LINKS_MAX,
    TEXT_MAX,
    InvalidAnswer,
    clean_links,
    clean_text,
)

# --- text -----------------------------------------------------------------------------------------------------------


def test_a_text_is_stripped_and_its_line_breaks_are_newlines():
    assert clean_text("  Council decision 2019/45\r\nadopted\runanimously \n") == (
        "Council decision 2019/45\nadopted\nunanimously"
    )


def test_a_word_processors_line_break_becomes_a_newline():
    assert clean_text("first\x0bsecond\x0cthird\u2028fourth\x85fifth") == "first\nsecond\nthird\nfourth\nfifth"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x1b", "\x1f", "\x7f", "\x9f", "\ufffe", "\uffff", "\ud800"])
def test_control_characters_and_lone_surrogates_are_removed(char):
    assert clean_text(f"a{char}b") == "ab"


def test_tabs_and_every_other_character_are_kept():
    text = "Budget\t€ 1 200 — « voté » 日本 🎉 \u00a0=SUM(A1)"
    assert clean_text(text) == text


def test_a_text_at_the_limit_is_kept():
    assert clean_text("x" * TEXT_MAX) == "x" * TEXT_MAX


def test_a_longer_text_is_refused_with_its_length_the_limit_and_the_field():
    with pytest.raises(InvalidAnswer) as err:
        clean_text("x" * (TEXT_MAX + 1))
    assert err.value.field == "evidence_text"
    assert err.value.reason == "this text is 10,001 characters long; the limit is 10,000"
    assert err.value.reason_in("fr") == "ce texte compte 10 001 caractères ; la limite est de 10 000"


def test_the_limit_counts_the_cleaned_text():
    assert clean_text(" " * 5 + "x" * TEXT_MAX + "\x00" * 5) == "x" * TEXT_MAX


def test_a_text_answer_is_refused_for_its_value_field():
    with pytest.raises(InvalidAnswer) as err:
        clean_text("x" * (TEXT_MAX + 1), field="value")
    assert err.value.field == "value"


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.text())
def test_cleaning_is_idempotent_and_leaves_nothing_a_spreadsheet_refuses(raw):
    try:
        once = clean_text(raw)
    except InvalidAnswer:
        assume(False)  # the property is about the texts it accepts; refusals are tested above
    assert clean_text(once) == once
    assert not ILLEGAL_CHARACTERS_RE.search(once)
    assert "\r" not in once and once == once.strip()


# --- links ----------------------------------------------------------------------------------------------------------


def test_links_are_one_per_line_in_canonical_form():
    raw = " HTTPS://Stats.Example.ORG/Population.pdf \r\n\r\n\nhttp://city.example/a?b=1#c\n"
    assert clean_links(raw) == "https://stats.example.org/Population.pdf\nhttp://city.example/a?b=1#c"


def test_links_separated_by_spaces_are_split_and_repeats_dropped():
    assert clean_links("https://a.example https://b.example\thttps://a.example") == (
        "https://a.example\nhttps://b.example"
    )


def test_a_bare_www_address_is_read_as_https():
    assert clean_links("www.city.example/plan.pdf") == "https://www.city.example/plan.pdf"


def test_an_ip_address_and_a_port_are_accepted():
    assert clean_links("http://[2001:db8::1]:8080/x\nhttp://192.0.2.7:8000/") == (
        "http://[2001:db8::1]:8080/x\nhttp://192.0.2.7:8000/"
    )


def test_no_links_is_empty():
    assert clean_links("  \n \n") == ""
    assert clean_links(None) == ""


def refused(raw):
    with pytest.raises(InvalidAnswer) as err:
        clean_links(raw)
    assert err.value.field == "evidence_links"
    return err.value


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://x.org",
        "mailto:mayor@city.example",
        "file:///etc/passwd",
        "vbscript:msgbox",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused_by_its_scheme(raw):
    error = refused(raw)
    assert error.code == "link_scheme"
    assert error.reason == f"{raw!r} is not a web address: a link starts with http:// or https://"


@pytest.mark.parametrize(
    "raw",
    [
        "report.pdf",
        "see the website",
        "https://",
        "http:/x.org",
        "//x.org",
        "https://-",
        "https://x.org:99999",
        "https://..",
        "http://[::1",
    ],
)
def test_a_bare_word_or_an_incomplete_address_is_refused(raw):
    assert refused(raw).code == "not_a_link"


def test_a_space_inside_a_link_is_refused_naming_the_whole_line():
    error = refused("https://city.example/my report.pdf")
    assert error.reason.startswith("'https://city.example/my report.pdf' is not a web address")
    assert "%20" in error.reason


def test_every_bad_line_is_named_with_its_reason():
    error = refused("https://ok.example\nwww.fine.example\njavascript:void(0)\nnope")
    assert error.code == "links_refused" and error.params["count"] == 2
    assert "'javascript:void(0)' is not a web address" in error.reason and "'nope' is not a web address" in error.reason
    assert "'nope' n'est pas une adresse web" in error.reason_in("fr")


def test_links_separated_by_spaces_on_one_line_are_each_kept():
    from icc.framework.answers import clean_links

    assert clean_links("https://a.example https://b.example") == "https://a.example\nhttps://b.example"


@pytest.mark.parametrize("raw", ["http://user:secret@city.example", "https://good.example@evil.example/"])
def test_a_link_with_a_user_name_or_password_is_refused(raw):
    assert refused(raw).code == "link_credentials"


@pytest.mark.parametrize(
    "raw", ['https://x.example/"onmouseover="', "https://x.example\\@evil.example", "https://x.example/<script>"]
)
def test_a_link_with_markup_characters_is_refused(raw):
    assert refused(raw).code == "link_characters"


def test_a_link_longer_than_the_limit_is_refused():
    link = "https://x.example/" + "a" * LINK_MAX
    error = refused(link)
    assert error.code == "link_too_long" and error.params["length"] == len(link)
    assert clean_links(link[:LINK_MAX]) == link[:LINK_MAX]


def test_a_www_address_counts_its_added_https_towards_the_limit():
    link = "www." + "a" * (LINK_MAX - 12)  # 8 characters short of the limit once https:// is added
    assert len(clean_links(link)) == LINK_MAX
    assert clean_links(clean_links(link)) == clean_links(link)
    assert refused(link + "a").code == "link_too_long"


def test_more_links_than_the_limit_are_refused():
    links = "\n".join(f"https://x.example/{i}" for i in range(LINKS_MAX + 1))
    assert refused(links).reason == f"{LINKS_MAX + 1} links: at most {LINKS_MAX} links are kept per answer"
    assert clean_links(links.rsplit("\n", 1)[0]).count("\n") == LINKS_MAX - 1


def test_the_links_of_an_answer_fit_in_one_spreadsheet_cell():
    assert LINKS_MAX * LINK_MAX + LINKS_MAX - 1 <= 32_767


def test_a_refused_link_is_explained_in_french():
    assert refused("rapport.pdf").reason_in("fr").startswith("'rapport.pdf' n'est pas une adresse web")


_host = st.from_regex(r"[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}", fullmatch=True)
_path = st.from_regex(r"(/[A-Za-z0-9._~%!$&'()*+,;=:-]{0,12}){0,3}(\?[a-z0-9=&]{0,10})?", fullmatch=True)
_link = st.builds(lambda s, h, p: f"{s}://{h}{p}", st.sampled_from(["http", "https", "HTTPS"]), _host, _path)


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.lists(_link, max_size=LINKS_MAX), st.sampled_from(["\n", "\r\n", " ", "\n\n"]))
def test_valid_links_are_kept_and_cleaning_them_again_changes_nothing(links, separator):
    cleaned = clean_links(separator.join(links))
    canonical = list(dict.fromkeys(link.replace("HTTPS://", "https://", 1) for link in links))
    assert cleaned == "\n".join(canonical)
    assert clean_links(cleaned) == cleaned


@settings(deadline=None)  # a busy machine must not make a correct test fail
@given(st.text(alphabet=st.sampled_from(list('htps:/wW.exampl-ORG?#=&@[]:8 \n\\<>"%_')), max_size=60))
def test_whatever_clean_links_accepts_it_accepts_again_unchanged(raw):
    try:
        cleaned = clean_links(raw)
    except InvalidAnswer as error:
        assert error.field == "evidence_links"
        return
    assert clean_links(cleaned) == cleaned
    assert all(link.startswith(("http://", "https://")) for link in cleaned.split("\n") if cleaned)
