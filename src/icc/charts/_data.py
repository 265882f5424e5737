"""From a pandas DataFrame to the inline data of a chart: JSON-safe values, checked columns, clean text.

Shared by every chart module of :mod:`icc.charts`; no Vega-Lite here (see :mod:`icc.charts._common`).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd


def to_json_value(value: Any) -> Any:
    """A JSON-safe Python value: numpy/pandas scalars → Python scalars, NaN/NA/inf → ``None``.

    Examples
    --------
    >>> import numpy as np
    >>> to_json_value(np.float64("nan")) is None, to_json_value(np.int64(3)), to_json_value(np.float32(0.5))
    (True, 3, 0.5)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating | decimal.Decimal):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, str):
        return value
    if isinstance(value, pd.Timestamp | _dt.datetime | _dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [to_json_value(v) for v in value]
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def records(df: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of ``df[columns]`` as JSON-safe dicts."""
    return [
        {c: to_json_value(v) for c, v in zip(columns, row, strict=True)}
        for row in df[list(columns)].itertuples(index=False, name=None)
    ]


def require(df: pd.DataFrame, columns: Iterable[str], chart: str) -> None:
    """Raise a ``ValueError`` naming the ``columns`` that ``df`` lacks (and the ones it has)."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{chart}: the DataFrame lacks column(s) {', '.join(missing)} "
            f"(it has {', '.join(map(str, df.columns)) or 'none'})"
        )


def numeric(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` as float (Decimal, object, None → float/NaN)."""
    df = df.copy()
    for c in columns:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    return df


def text(df: pd.DataFrame, column: str) -> pd.Series:
    """A column as Python strings ('' for missing)."""
    return df[column].map(lambda v: "" if to_json_value(v) is None else str(v))


def optional_text(df: pd.DataFrame, column: str, columns: list[str], *, at: int | None = None) -> bool:
    """Whether ``df`` has ``column``; if so, turn it into text (in place) and add it to ``columns`` (at index
    ``at``, else last)."""
    if column not in df.columns:
        return False
    df[column] = text(df, column)
    if at is None:
        columns.append(column)
    else:
        columns.insert(at, column)
    return True


def highlighted(df: pd.DataFrame, city: str | None) -> pd.Series | bool:
    """The ``highlight`` column: whether the row's ``city`` is ``city`` (all ``False`` without one)."""
    return df["city"].eq(city) if city else False


def unique(labels: Sequence[str]) -> list[str]:
    """The labels with duplicates made distinct (a y axis merges equal labels into one band)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0) + 1
        seen[label] = n
        out.append(label if n == 1 else f"{label} ({n})")
    return out
