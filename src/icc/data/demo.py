"""Deterministic demo answers for the member network (pure; no database).

Every number here is invented and labelled "demo data" wherever it is shown. The model is small and plausible:

- each city has a latent *maturity* ``m ~ N(0, 1)`` and a per-topic offset ``o ~ N(0, 0.6)`` (topics are area
  and sub-area ids, shared by both framework generations so a city's profile is stable across the revision;
  2011's ``governance`` is 2019's ``leadership``), so areas are correlated;
- each city progresses by ``g ~ N(0.9, 0.4)`` latent units over 2012–2025, so scores rise gradually;
- each question has a difficulty ``d ~ N(0, 0.6)``; an answer's latent value is ``m·0.8 + o + g·t + d + ε``
  (``ε ~ N(0, 0.5)`` per answer) and is cut into the question's options ordered by points;
- about 3% of answers are "don't know" (5% in 2011-generation editions) and 1% are left blank;
- skip logic is respected: a question whose condition fails (``icc.framework.answers.opens``, the rule every
  implementation shares) is left blank.

Random streams are seeded from the fixed seed and the *names* of cities and questions (CRC32), so adding a city
or a question never changes the answers of the others.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from icc.framework.answers import opens
from icc.framework.schema import DONT_KNOW, NUMERIC_TYPES, Framework, Question

SEED = 2019
DEMO_EDITIONS: dict[int, str] = {
    2012: "icc-2011",
    2015: "icc-2011",
    2019: "icc-2019",
    2022: "icc-2019",
    2025: "icc-2019",
}
TOPIC_ALIASES = {"governance": "leadership"}
FIRST_YEAR, LAST_YEAR = 2012, 2025

# Rough national shares of foreign-born residents (percent) used only to invent plausible demo values.
FOREIGN_BORN_BASE: dict[str, float] = {
    "AU": 29,
    "BE": 17,
    "CA": 21,
    "CH": 29,
    "CY": 20,
    "DE": 17,
    "DK": 12,
    "ES": 14,
    "FI": 7,
    "FO": 8,
    "FR": 13,
    "GB": 14,
    "GR": 12,
    "HR": 12,
    "HU": 6,
    "IE": 17,
    "IL": 22,
    "IS": 15,
    "IT": 10,
    "JP": 2,
    "MA": 1,
    "MT": 16,
    "MX": 1,
    "NL": 13,
    "NO": 16,
    "PL": 2,
    "PT": 10,
    "RO": 3,
    "RS": 8,
    "RU": 8,
    "SE": 20,
    "TR": 3,
    "UA": 6,
}


def _rng(*names: object) -> np.random.Generator:
    key = "|".join(str(n) for n in names).encode()
    return np.random.default_rng([SEED, zlib.crc32(key)])


def _topic(leaf: str) -> str:
    return TOPIC_ALIASES.get(leaf, leaf)


def city_latents(city: str) -> tuple[float, float]:
    """(maturity, growth over 2012–2025) of a city."""
    r = _rng("city", city)
    return float(r.normal(0.0, 1.0)), float(r.normal(0.9, 0.4))


def topic_offset(city: str, topic: str) -> float:
    return float(_rng("topic", city, topic).normal(0.0, 0.6))


def _difficulty(question_id: str) -> float:
    return float(_rng("question", question_id).normal(0.0, 0.6))


def _choose_ordinal(latent: float, n: int) -> int:
    """Cut a latent value into one of ``n`` ordered levels (0 = lowest)."""
    thresholds = np.linspace(-1.0, 1.0, n + 1)[1:-1]
    return int(np.searchsorted(thresholds, latent))


def _answer(q: Question, latent: float, r: np.random.Generator) -> object:
    if q.type in ("yes_partly_no", "single"):
        ordered = sorted(q.options, key=lambda o: o.points)
        return ordered[_choose_ordinal(latent, len(ordered))].id
    if q.type == "multiple":
        chosen = [
            o.id for o in q.options if o.points > 0 and r.random() < 1 / (1 + np.exp(-(latent + r.normal(0, 0.7))))
        ]
        return ";".join(chosen) if chosen else q.options[int(np.argmin([o.points for o in q.options]))].id
    if q.type in NUMERIC_TYPES and q.bands:
        level = _choose_ordinal(latent, len(q.bands))
        band = sorted(q.bands, key=lambda b: b.points)[level]
        lo, hi = q.valid_range()
        a = band.min if band.min is not None else (lo if lo is not None else 0.0)
        b = band.max if band.max is not None else (min(hi, a * 2 + 10) if hi is not None else a * 2 + 10)
        return round(float(r.uniform(a, b)), 1)
    return None


def generate_answers(framework: Framework, cities: Sequence[str], year: int) -> pd.DataFrame:
    """Demo answers of ``cities`` to the scored questions of ``framework`` for the edition ``year``.

    Returns a DataFrame indexed by ``(city, edition)`` with one column per scored question.
    """
    t = (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR)
    p_unknown = 0.05 if framework.id == "icc-2011" else 0.03
    rows = []
    located = framework.scored_questions()
    by_id = {q.id: q for q in framework.questions()}
    for city in cities:
        maturity, growth = city_latents(city)
        offsets = {}
        row: dict[str, object] = {}
        r = _rng("answers", city, year, framework.id)
        for loc in located:
            q = loc.question
            leaf = _topic(loc.subarea or loc.area or "")
            if leaf not in offsets:
                offsets[leaf] = topic_offset(city, leaf)
            rule = q.applies_if
            if rule is not None and not (
                rule.question in by_id and opens(by_id[rule.question], row.get(rule.question), rule.in_)
            ):
                row[q.id] = None
                continue
            draw = r.random()
            if draw < p_unknown:
                row[q.id] = DONT_KNOW
                continue
            if draw < p_unknown + 0.01 and not q.applies_if:
                row[q.id] = None
                continue
            latent = 0.8 * maturity + offsets[leaf] + growth * t - 0.35 + _difficulty(q.id) + r.normal(0, 0.5)
            row[q.id] = _answer(q, latent, r)
        rows.append(row)
    index = pd.MultiIndex.from_tuples([(c, year) for c in cities], names=["city", "edition"])
    return pd.DataFrame(rows, index=index, columns=[loc.question.id for loc in located])


def foreign_born_share(city: str, country_code: str, population: float | None, year: int) -> float:
    """An invented, plausible share (percent) of foreign-born residents of a city in a year."""
    base = FOREIGN_BORN_BASE.get(country_code, 8.0)
    r = _rng("foreign-born", city)
    urban = 1.3 if (population or 0) > 500_000 else 1.0
    level = base * urban * float(r.lognormal(0.0, 0.35))
    drift = 1 + 0.012 * (year - FIRST_YEAR)
    return float(np.clip(round(level * drift, 1), 0.3, 60.0))
