"""Scoring benchmarks (prints a table; not a pass/fail test).

1. The demo network fully rescored: 121 cities × 5 editions (two frameworks), answers → scores, peer groups,
   ranks and sample statistics (`score_network`), target < 50 ms.
2. 100,000 synthetic responses of icc-2019 scored in one call (`score_answers`), target < 2 s on one core.

Run: `make bench` (or `python bench/bench_scoring.py`). Thread pools are limited to one core.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from icc.data import demo  # noqa: E402
from icc.data.members import load_member_cities  # noqa: E402
from icc.engine import compile_framework, score_answers, score_network  # noqa: E402
from icc.framework import load_shipped  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def synthetic_answers(fw, n: int, seed: int = 7) -> pd.DataFrame:
    """n random responses to every scored question (vectorised; ~3% don't know, some blanks)."""
    rng = np.random.default_rng(seed)
    cols = {}
    for loc in fw.scored_questions():
        q = loc.question
        if q.type in ("yes_partly_no", "single"):
            values = np.array([o.id for o in q.options] + ["dont_know", None], dtype=object)
            p = np.r_[np.full(len(q.options), 0.96 / len(q.options)), 0.03, 0.01]
            cols[q.id] = rng.choice(values, size=n, p=p)
        elif q.type == "multiple":
            picks = rng.random((n, len(q.options))) < 0.5
            ids = [o.id for o in q.options]
            cols[q.id] = np.array(
                [";".join(i for i, k in zip(ids, row, strict=True) if k) or None for row in picks], dtype=object
            )
        else:
            lo, hi = q.valid_range()
            cols[q.id] = np.round(rng.uniform(lo or 0, hi if hi is not None else 100, size=n), 1)
    return pd.DataFrame(cols, index=pd.RangeIndex(n, name="response"))


def main() -> None:
    rows = []
    members = load_member_cities()
    slugs = [m.slug for m in members]
    facts = pd.DataFrame(
        {
            "population": [m.population for m in members],
            "foreign_born": [demo.foreign_born_share(m.slug, m.country_code, m.population, 2019) for m in members],
        },
        index=pd.Index(slugs, name="city"),
    )
    frameworks = {fid: load_shipped(fid) for fid in set(demo.DEMO_EDITIONS.values())}
    for fw in frameworks.values():
        compile_framework(fw)
    by_framework = {}
    for year, fid in demo.DEMO_EDITIONS.items():
        by_framework.setdefault(fid, []).append(demo.generate_answers(frameworks[fid], slugs, year))
    batches = {fid: pd.concat(parts) for fid, parts in by_framework.items()}

    def rescore_network():
        for fid, answers in batches.items():
            score_network(answers, facts, frameworks[fid])

    rescore_network()
    t = timed(rescore_network, 30)
    n_resp = sum(len(b) for b in batches.values())
    rows.append(
        ("demo network rescored (score_network)", f"{n_resp} responses", statistics.median(t), min(t), "< 50 ms")
    )

    fw = frameworks["icc-2019"]
    big = synthetic_answers(fw, 100_000)
    score_answers(big.head(1000), fw)
    t = timed(lambda: score_answers(big, fw), 3)
    rows.append(
        ("100,000 responses of icc-2019 (score_answers)", "100000 responses", statistics.median(t), min(t), "< 2 s")
    )

    print(
        f"# Scoring benchmarks, {date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}"
    )
    print()
    print("| benchmark | size | median | best | target |")
    print("|---|---|---|---|---|")
    for name, size, med, best, target in rows:
        print(f"| {name} | {size} | {med * 1000:.1f} ms | {best * 1000:.1f} ms | {target} |")


if __name__ == "__main__":
    main()
