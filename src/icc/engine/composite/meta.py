"""Indicator metadata: the hierarchy of indicators and aggregates, weights, directions, denominators and groups.

One row per code, as COINr's ``iMeta`` (and ``asem_imeta.csv``): ``iCode``, ``Level`` (1 = indicator, the
highest level = the index), ``Parent``, ``Weight`` (relative to siblings), ``Direction`` (+1 / −1),
``Denominator`` (a column of the data table, or empty), ``Type`` (``Indicator``, ``Aggregate``, ``Group``,
``Denominator``; other types are kept as unit columns and ignored), optionally ``iName`` and ``Target``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .registry import SpecError

REQUIRED_COLUMNS = ("iCode", "Level", "Parent", "Weight", "Type")
SCORED_TYPES = ("Indicator", "Aggregate")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() in ("", "NA")


@dataclass(frozen=True)
class Hierarchy:
    """A validated hierarchy. ``codes`` lists indicators first (in metadata order), then aggregates level by
    level; ``weight`` holds the metadata weights (relative to siblings), ``weight_key`` the code whose weight a node
    takes from a weight set (itself unless given: the ICC's "lens per sub-area" gives each sub-area its area's
    weight)."""

    codes: tuple[str, ...]
    level: dict[str, int]
    parent: dict[str, str | None]
    weight: dict[str, float]
    direction: dict[str, int]
    denominator: dict[str, str | None]
    name: dict[str, str]
    target: dict[str, float]
    groups: tuple[str, ...] = ()
    denominators: tuple[str, ...] = ()
    weight_key: dict[str, str] = field(default_factory=dict)

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.level[c] == 1)

    @property
    def aggregates(self) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.level[c] > 1)

    @property
    def top(self) -> str:
        return self.codes[-1]

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.level.values())))

    def children(self, code: str) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.parent[c] == code)

    def at_level(self, level: int) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.level[c] == level)

    def key_of(self, code: str) -> str:
        return self.weight_key.get(code, code)

    @property
    def weight_keys(self) -> tuple[str, ...]:
        """Codes that own a weight (every non-top node's key), in ``codes`` order."""
        keys: list[str] = []
        for c in self.codes[:-1]:
            k = self.key_of(c)
            if k not in keys:
                keys.append(k)
        return tuple(keys)

    def nominal_weights(self) -> np.ndarray:
        """The metadata weight of every weight key, in :attr:`weight_keys` order."""
        owner = {self.key_of(c): c for c in reversed(self.codes[:-1])}
        return np.array([self.weight[owner[k]] for k in self.weight_keys], dtype=float)

    def ancestors(self, code: str) -> list[str]:
        out = []
        p = self.parent[code]
        while p is not None:
            out.append(p)
            p = self.parent[p]
        return out

    def with_weights(self, weights: dict[str, float]) -> Hierarchy:
        """The same hierarchy with some weights replaced (unknown codes are an error)."""
        unknown = sorted(set(weights) - set(self.codes))
        if unknown:
            raise SpecError(f"weights for unknown code(s) {', '.join(unknown)}")
        new = dict(self.weight)
        new.update({k: float(v) for k, v in weights.items()})
        return Hierarchy(
            self.codes,
            self.level,
            self.parent,
            new,
            self.direction,
            self.denominator,
            self.name,
            self.target,
            self.groups,
            self.denominators,
            self.weight_key,
        )


def read_meta(meta: pd.DataFrame | str) -> Hierarchy:
    """Validate an ``iMeta`` table (a DataFrame or a CSV path) into a :class:`Hierarchy`.

    Every problem is listed at once (row numbers count the header as row 1, as a spreadsheet shows them).
    """
    if isinstance(meta, str):
        meta = pd.read_csv(meta, keep_default_na=True)
    missing = [c for c in REQUIRED_COLUMNS if c not in meta.columns]
    if missing:
        raise SpecError(f"metadata lacks column(s) {', '.join(missing)}; it has {', '.join(map(str, meta.columns))}")
    problems: list[str] = []
    rows = meta.reset_index(drop=True)
    scored = rows[rows["Type"].isin(SCORED_TYPES)]
    codes = [str(c) for c in scored["iCode"]]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        problems.append(f"iCode(s) listed twice: {', '.join(dup)}")
    level: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    weight: dict[str, float] = {}
    direction: dict[str, int] = {}
    denominator: dict[str, str | None] = {}
    name: dict[str, str] = {}
    target: dict[str, float] = {}
    for i, row in scored.iterrows():
        where = f"metadata row {int(str(i)) + 2} ({row['iCode']})"
        code = str(row["iCode"])
        try:
            lv = int(row["Level"])
            if lv < 1 or lv != float(row["Level"]):
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"{where}: Level must be a whole number ≥ 1, not {row['Level']!r}")
            continue
        level[code] = lv
        parent[code] = None if _blank(row["Parent"]) else str(row["Parent"])
        try:
            w = float(row["Weight"])
            if not np.isfinite(w) or w < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"{where}: Weight must be a number ≥ 0, not {row['Weight']!r}")
            w = 0.0
        weight[code] = w
        d = row.get("Direction", 1)
        if row["Type"] == "Indicator":
            try:
                ok = not _blank(d) and float(d) in (1.0, -1.0)
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(f"{where}: Direction must be 1 or -1, not {d!r}")
            else:
                direction[code] = int(float(d))
            if lv != 1:
                problems.append(f"{where}: an Indicator has Level 1, not {lv}")
        else:
            direction[code] = 1
            if lv == 1:
                problems.append(f"{where}: an Aggregate has Level 2 or more")
        den = row.get("Denominator")
        denominator[code] = None if _blank(den) else str(den)
        name[code] = code if _blank(row.get("iName")) else str(row.get("iName"))
        t = row.get("Target")
        if not _blank(t):
            try:
                target[code] = float(t)
            except (TypeError, ValueError):
                problems.append(f"{where}: Target must be a number, not {t!r}")
    tops = [c for c in level if parent.get(c) is None]
    if len(tops) != 1:
        problems.append(
            f"the hierarchy needs exactly one top code without Parent; found {len(tops)}: {', '.join(tops) or '-'}"
        )
    for c, p in parent.items():
        if p is None:
            continue
        if p not in level:
            problems.append(f"{c}: Parent {p!r} is not an Aggregate of the metadata")
        elif level[p] <= level[c]:
            problems.append(f"{c}: Parent {p} must have a higher Level than {level[c]}, not {level[p]}")
    for c in level:
        if level[c] > 1 and not any(parent.get(k) == c for k in level):
            problems.append(f"aggregate {c} has no children")
    if not problems:
        for c in level:  # parents above are checked acyclic by the strict level rule; weights of siblings
            kids = [k for k in level if parent.get(k) == c]
            if kids and sum(weight[k] for k in kids) <= 0:
                problems.append(f"the children of {c} ({', '.join(kids)}) all have weight 0")
    known_dens = [str(c) for c in rows.loc[rows["Type"] == "Denominator", "iCode"]]
    for c, den in denominator.items():
        if den is not None and known_dens and den not in known_dens:
            problems.append(f"{c}: Denominator {den!r} is not a Denominator row ({', '.join(known_dens)})")
    if problems:
        raise SpecError("metadata problems:\n" + "\n".join(f"  - {p}" for p in problems))
    ordered = [c for c in codes if level[c] == 1]
    for lv in sorted({v for v in level.values() if v > 1}):
        ordered += [c for c in codes if level[c] == lv]
    return Hierarchy(
        codes=tuple(ordered),
        level=level,
        parent=parent,
        weight=weight,
        direction=direction,
        denominator=denominator,
        name=name,
        target=target,
        groups=tuple(str(c) for c in rows.loc[rows["Type"] == "Group", "iCode"]),
        denominators=tuple(known_dens),
    )


def read_data(data: pd.DataFrame | str, hierarchy: Hierarchy) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a unit table (COINr's ``iData``: ``uCode``, optional ``uName``, group, denominator and indicator
    columns) into (indicators, units): indicators as floats indexed by ``uCode`` in the hierarchy's order, and the
    other columns (``uName``, groups, denominators, …) indexed alike.

    Non-numeric indicator cells, a missing or duplicated ``uCode`` and missing indicator columns are errors that
    name the cells.
    """
    if isinstance(data, str):
        data = pd.read_csv(data, keep_default_na=True)
    if "uCode" not in data.columns:
        raise SpecError(f"data lacks the column uCode; it has {', '.join(map(str, data.columns[:12]))} …")
    codes = data["uCode"].astype("string")
    problems: list[str] = []
    if codes.isna().any():
        rows = [str(i + 2) for i in np.flatnonzero(codes.isna().to_numpy())[:5]]
        problems.append(f"uCode is empty on data row(s) {', '.join(rows)}")
    dup = codes[codes.duplicated()].dropna().unique().tolist()
    if dup:
        problems.append(f"uCode listed twice: {', '.join(map(str, dup[:10]))}")
    absent = [c for c in hierarchy.indicators if c not in data.columns]
    if absent:
        problems.append(f"data lacks indicator column(s) {', '.join(absent)}")
    for col in hierarchy.denominators + hierarchy.groups:
        used = col in hierarchy.denominators and any(d == col for d in hierarchy.denominator.values())
        if used and col not in data.columns:
            problems.append(f"data lacks the denominator column {col}")
    if problems:
        raise SpecError("data problems:\n" + "\n".join(f"  - {p}" for p in problems))
    frame = data.set_index(codes.rename("uCode"))
    indicators = list(hierarchy.indicators)
    block = frame[indicators]
    numeric = [c for c in indicators if pd.api.types.is_numeric_dtype(block[c].dtype)]
    values = block[numeric].astype(float) if len(numeric) == len(indicators) else pd.DataFrame(index=frame.index)
    if len(numeric) != len(indicators):
        for c in indicators:
            raw = block[c]
            num = pd.to_numeric(raw, errors="coerce")
            bad = num.isna() & raw.notna() & (raw.astype("string").str.strip().fillna("") != "")
            if bad.any():
                cells = ", ".join(f"{u}={raw[u]!r}" for u in raw.index[bad.to_numpy()][:3])
                problems.append(f"indicator {c}: not a number in {int(bad.sum())} cell(s), e.g. {cells}")
            values[c] = num.astype(float)
    if problems:
        raise SpecError("data problems:\n" + "\n".join(f"  - {p}" for p in problems))
    units = frame.drop(columns=indicators + ["uCode"], errors="ignore")
    if "uName" not in units.columns:
        units["uName"] = units.index.astype(str)
    return values, units
