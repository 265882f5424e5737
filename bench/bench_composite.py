"""Composite-indicator benchmarks on COINr's ASEM example (prints a table; not a pass/fail test).

1. Uncertainty analysis, weights only (levels 2 and 3 ± 25 %), 1,000 runs — target < 0.1 s.
2. Uncertainty analysis over the four assumptions of examples/asem/four-assumptions.yaml, 500 runs — < 0.25 s.
3. Sensitivity analysis of the four, N = 100 (600 runs) with 1,000 bootstrap resamples — < 0.25 s.
4. The whole `icc composite uncertainty` command for 1 (a fresh process: start-up, reading, writing) — < 2 s.

In-process timings start from the files read and checked into a fresh model (so every treatment and
normalisation a study needs is computed inside the timing), and end with the rank statistics (and indices).
For scale: COINr takes about 100 s, 52 s and 64 s for 1–3 on this machine (figures given with the issue).

Run: `make bench` (or `python bench/bench_composite.py`). Thread pools are limited to one core.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from icc.engine.composite import Spec  # noqa: E402
from icc.engine.sensitivity import saltelli_design, sensitivity  # noqa: E402
from icc.engine.uncertainty import CompositeModel, draw_design, read_assumptions, uncertainty  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "asem"
EXAMPLE = ROOT / "examples" / "asem"


def _model() -> CompositeModel:
    spec = Spec.read(str(EXAMPLE / "spec.yaml"))
    return CompositeModel.from_inputs(str(DATA / "asem_idata.csv"), str(DATA / "asem_imeta.csv"), spec)


def ua(assumptions_file: str, runs: int) -> None:
    model = _model()
    a = read_assumptions(str(EXAMPLE / assumptions_file), model.hierarchy, model.spec)
    design = draw_design(a, runs, np.random.default_rng(1), model.hierarchy, model.nominal_weights())
    uncertainty(model, a, design)


def sa(n: int) -> None:
    model = _model()
    a = read_assumptions(str(EXAMPLE / "four-assumptions.yaml"), model.hierarchy, model.spec)
    rng = np.random.default_rng(1)
    design = saltelli_design(a, n, rng, model.hierarchy, model.nominal_weights())
    sensitivity(model, a, design, n, bootstrap=1000, rng=rng)


def command() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        icc = Path(sys.executable).with_name("icc")
        subprocess.run(
            [
                str(icc),
                "composite",
                "uncertainty",
                "--data",
                str(DATA / "asem_idata.csv"),
                "--meta",
                str(DATA / "asem_imeta.csv"),
                "--spec",
                str(EXAMPLE / "spec.yaml"),
                "--assumptions",
                str(EXAMPLE / "weights-noise.yaml"),
                "--runs",
                "1000",
                "--seed",
                "1",
                "--out",
                str(Path(tmp) / "rankstats.csv"),
            ],
            check=True,
            capture_output=True,
        )


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    if not DATA.exists():
        sys.exit(f"the ASEM data is not at {DATA}")
    ua("weights-noise.yaml", 10)  # warm imports and caches of numpy/pandas, not of the study
    rows = [
        (
            "UA, weights only (levels 2–3 ± 25 %)",
            "1,000 runs",
            timed(lambda: ua("weights-noise.yaml", 1000), 15),
            "< 0.1 s",
            "≈ 100 s",
        ),
        ("UA, four assumptions", "500 runs", timed(lambda: ua("four-assumptions.yaml", 500), 15), "< 0.25 s", "≈ 52 s"),
        (
            "SA, four assumptions (+1,000 bootstrap)",
            "N = 100, 600 runs",
            timed(lambda: sa(100), 15),
            "< 0.25 s",
            "≈ 64 s",
        ),
        ("`icc composite uncertainty` (1, whole command)", "1,000 runs", timed(command, 5), "< 2 s", ""),
    ]
    print(
        f"Composite benchmarks — {date.today()} — {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print("| benchmark | size | median | best | target | COINr |")
    print("|---|---|---|---|---|---|")
    for name, size, times, target, coinr in rows:
        print(f"| {name} | {size} | {statistics.median(times):.3f} s | {min(times):.3f} s | {target} | {coinr} |")


if __name__ == "__main__":
    main()
