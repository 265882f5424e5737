"""A city's strongest and weakest areas and questions, and the peers that do best where it is weak."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .peers import published


def strengths_weaknesses(row: pd.Series, n: int = 3) -> tuple[list[str], list[str]]:
    """The ``n`` highest and ``n`` lowest scored items of one response (ties broken by item order).

    >>> strengths_weaknesses(pd.Series({"a": 90.0, "b": 20.0, "c": 55.0, "d": None}), n=1)
    (['a'], ['b'])
    """
    s = published(row.dropna().astype(float))
    order = list(s.index)
    by_high = sorted(order, key=lambda k: (-s[k], order.index(k)))
    by_low = sorted(order, key=lambda k: (s[k], order.index(k)))
    return by_high[:n], by_low[:n]


def weakest_questions(ratio: pd.Series, n: int = 5, below: float = 0.5) -> list[str]:
    """Questions of one response with the lowest share of points obtained (only those under ``below``)."""
    s = ratio.dropna()
    s = s[s < below]
    order = list(s.index)
    return sorted(order, key=lambda k: (s[k], order.index(k)))[:n]


@dataclass(frozen=True)
class PeerExample:
    city: str
    score: float
    group: str  # "combined", "size", "diversity" or "all": how similar the peer is


def best_peers(scores: pd.Series, groups: pd.DataFrame, city: str, n: int = 3) -> list[PeerExample]:
    """The cities doing best in one area among cities most similar to ``city``.

    Parameters
    ----------
    scores : Series
        One area's scores of one edition, indexed by city.
    groups : DataFrame
        Peer groups of the same edition indexed by city (``size_group``, ``diversity_group``, ``combined_group``).
    city : str
    n : int

    Notes
    -----
    Candidates are taken from the combined group (same size and diversity band) first, then the size group,
    then the diversity group, then the whole sample, each level ordered by score (highest first); only cities
    whose :func:`~icc.engine.peers.published` score is above the city's are suggested.
    """
    own = scores.get(city)
    chosen: list[PeerExample] = []
    seen = {city}
    me = groups.loc[city] if city in groups.index else None
    for level in ("combined", "size", "diversity", "all"):
        if level == "all":
            pool = scores.index
        elif me is None or pd.isna(me[f"{level}_group"]):
            continue
        else:
            pool = groups.index[groups[f"{level}_group"] == me[f"{level}_group"]]
        ranked = scores.reindex(pool).dropna().sort_values(ascending=False, kind="stable")
        for other, value in ranked.items():
            if other in seen or (own is not None and not pd.isna(own) and published(value) <= published(own)):
                continue
            chosen.append(PeerExample(str(other), float(value), level))
            seen.add(other)
            if len(chosen) == n:
                return chosen
    return chosen
