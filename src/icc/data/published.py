"""Real Index results published before this platform, read as published (never altered).

The file ``files/icc_published_results.csv`` holds one row per number found in a public source, with its URL.
Parsing only *adds* fields next to the published text: the year, the sample size when it is a plain number, the
rank in the whole sample when the text states it, and the member city it belongs to.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

FILE = Path(__file__).parent / "files" / "icc_published_results.csv"

# Names in the published sources that differ from the member list; None = not the member of a similar name.
ALIASES: dict[str, str | None] = {
    "odesa": "odessa",
    "london borough of lewisham": "london lewisham",
    "reggio emilia": "reggio-emilia",
    "osmangazi-bursa": "bursa-osmangazi",
    "neuchatel (canton)": None,
}

RANK_PATTERNS = [
    re.compile(r"^(?:ranked\s+)?(\d+)(?:st|nd|rd|th)\s+(?:in the world\s+)?(?:among|out of|of)\b", re.I),
    re.compile(r"^rank\s+(\d+)\s+among\b", re.I),
    re.compile(r"took\s+(\d+)(?:st|nd|rd|th)\s+place", re.I),
    re.compile(r"positioned\s+(\d+)(?:st|nd|rd|th)\s+among", re.I),
]


def fold(name: str) -> str:
    """Lowercase, accents removed, spaces collapsed: how names are compared."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class PublishedRow:
    city: str
    country: str
    report_date: str
    year: int | None
    sample_size_text: str
    sample_size: int | None
    area: str
    score: float | None
    sample_mean: float | None
    sample_max: float | None
    rank: int | None
    rank_text: str
    source_url: str


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def is_ambiguous(rank_text: str) -> bool:
    """The source's own words mark the row ambiguous (e.g. Melitopol's "AMBIGUOUS: 100 cities in 2011 is
    implausible"): such a row is shown, marked so, but never ranked or plotted."""
    return "AMBIGUOUS" in rank_text.upper()


def parse_rank(text: str) -> int | None:
    """The rank in the whole sample when the text states it plainly ("17th among the 93 cities" → 17)."""
    for pattern in RANK_PATTERNS:
        m = pattern.search(text.strip().strip("'\""))
        if m:
            return int(m.group(1))
    return None


def read_published(path: Path = FILE) -> list[PublishedRow]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh):
            year = re.search(r"(19|20)\d\d", raw["report_date"])
            size = raw["sample_size"].strip()
            rows.append(
                PublishedRow(
                    city=raw["city"],
                    country=raw["country"],
                    report_date=raw["report_date"],
                    year=int(year.group(0)) if year else None,
                    sample_size_text=size,
                    sample_size=int(size) if size.isdigit() else None,
                    area=raw["area"],
                    score=_float(raw["city_score"]),
                    sample_mean=_float(raw["sample_mean"]),
                    sample_max=_float(raw["sample_max"]),
                    rank=parse_rank(raw["rank_text"])
                    if raw["area"] == "aggregate" and not is_ambiguous(raw["rank_text"])
                    else None,
                    rank_text=raw["rank_text"],
                    source_url=raw["source_url"],
                )
            )
    return rows


def member_key(name: str) -> str | None:
    """The folded member-list name a published city name refers to (None: not a member)."""
    key = fold(name)
    return ALIASES.get(key, key)
