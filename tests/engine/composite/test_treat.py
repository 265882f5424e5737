"""Outlier treatment as methods.md §4 (COINr's default): skewness G1, kurtosis G2, the winsorisation loop and the
log fallback, checked against values worked out by hand or by the small reference below (never by the code under
test)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.composite import build, kurtosis, log_ct, skewness, winsorise
from icc.engine.composite.treat import TREATMENT_COLUMNS, passes

ATOL = 1e-9


def reference_g1_g2(values: list[float]) -> tuple[float, float]:
    """G1 and G2 of methods.md §4 written out with plain Python sums (missing values dropped)."""
    v = [x for x in values if not math.isnan(x)]
    n = len(v)
    mean = math.fsum(v) / n
    d = [x - mean for x in v]
    m2 = math.fsum(t**2 for t in d) / n
    m3 = math.fsum(t**3 for t in d) / n
    m4 = math.fsum(t**4 for t in d) / n
    g1 = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    g2 = ((n + 1) * (m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return g1, g2


def reference_passes(values: list[float]) -> bool:
    g1, g2 = reference_g1_g2(values)
    return abs(g1) < 2 or g2 < 3.5


# Worked vectors (the loop is traced in test_the_reference_moments_justify_the_worked_vectors):
TIED = [float(i) for i in range(1, 21)] + [100.0, 100.0]  # two tied maxima
THREE_STEPS = [float(i) for i in range(1, 31)] + [100.0, 110.0, 120.0, 1000.0]  # passes after 3 high steps
FLIP = [1.0, 2.0, 5.0, 6.0, 7.0, 9.0, 10.0, 12.0, 1000.0, -60.0]  # one high step, then one low step


def test_skewness_and_kurtosis_follow_the_sample_formulas_of_methods_md():
    # x = 1, 2, 3, 10: mean 4, deviations −3, −2, −1, 6 → m2 = 50/4 = 12.5, m3 = 180/4 = 45, m4 = 1394/4 = 348.5
    # G1 = √(4·3)/2 · 45/12.5^1.5 = 1.763633…; G2 = (5·(348.5/156.25 − 3) + 6)·3/(2·1) = (5·(−0.7696) + 6)·1.5 = 3.228
    x = np.array([1.0, 2.0, 3.0, 10.0])
    assert_allclose(skewness(x), math.sqrt(12) / 2 * 45 / 12.5**1.5, atol=ATOL)
    assert_allclose(kurtosis(x), 3.228, atol=ATOL)


def test_skewness_and_kurtosis_ignore_missing_values():
    # 0, 0, 0, 0, 10 (and a missing value): mean 2, deviations −2 ×4 and 8 → m2 = 80/5 = 16, m3 = 480/5 = 96,
    # m4 = 4160/5 = 832; G1 = √20/3 · 96/64 = √5; G2 = (6·(832/256 − 3) + 6)·4/(3·2) = 7.5·4/6 = 5
    x = np.array([0.0, 0.0, 0.0, 0.0, 10.0, np.nan])
    assert_allclose(skewness(x), math.sqrt(5), atol=ATOL)
    assert_allclose(kurtosis(x), 5.0, atol=ATOL)


def test_a_symmetric_vector_has_zero_skewness_and_negative_excess_kurtosis():
    # 1..5: m2 = 10/5 = 2, m4 = 34/5 = 6.8 → G2 = (6·(6.8/4 − 3) + 6)·4/(3·2) = (−7.8 + 6)·4/6 = −1.2
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    assert_allclose(skewness(x), 0.0, atol=ATOL)
    assert_allclose(kurtosis(x), -1.2, atol=ATOL)


def test_an_indicator_passes_on_either_skewness_or_kurtosis_and_fails_only_on_both():
    skewed_not_peaked = np.array([*range(1, 11), 100.0, 100.0])  # G1 = 2.03 ≥ 2 but G2 = 2.58 < 3.5
    peaked_not_skewed = np.array([-100.0, *([0.0] * 20), 100.0])  # G1 = 0
    both = np.array([0.0, 0.0, 0.0, 0.0, 10.0])  # G1 = √5, G2 = 5 (hand-computed above)
    assert reference_g1_g2(list(skewed_not_peaked))[0] >= 2
    assert reference_g1_g2(list(peaked_not_skewed))[1] >= 3.5
    assert passes(skewed_not_peaked)
    assert passes(peaked_not_skewed)
    assert not passes(both)


def test_the_reference_moments_justify_the_worked_vectors():
    # TIED fails (G1 3.2, G2 9.8); both maxima move to 20 at once and it passes
    assert not reference_passes(TIED)
    assert reference_passes(TIED[:20] + [20.0, 20.0])
    # THREE_STEPS fails; 1000 → 120 (1 point) still fails; the two 120s → 110 (2 points) still fails; the three
    # 110s → 100 (3 points) passes (G1 = 2.096 but G2 = 3.30 < 3.5)
    assert not reference_passes(THREE_STEPS)
    assert not reference_passes(THREE_STEPS[:30] + [100.0, 110.0, 120.0, 120.0])
    assert not reference_passes(THREE_STEPS[:30] + [100.0, 110.0, 110.0, 110.0])
    assert reference_passes(THREE_STEPS[:30] + [100.0] * 4)
    # FLIP fails with G1 > 0; 1000 → 12 leaves G1 < 0 and still failing; −60 → 1 then passes
    assert reference_g1_g2(FLIP)[0] > 0 and not reference_passes(FLIP)
    after_high = FLIP[:8] + [12.0, -60.0]
    assert reference_g1_g2(after_high)[0] < 0 and not reference_passes(after_high)
    assert reference_passes(FLIP[:8] + [12.0, 1.0])


def test_two_tied_maxima_move_together_and_count_two():
    values, count, ok = winsorise(np.array(TIED))
    assert_allclose(values, TIED[:20] + [20.0, 20.0], atol=ATOL)
    assert count == 2
    assert ok


def test_a_tied_group_moves_whole_even_past_winmax():
    # COINr moves every point equal to the maximum at once: with winmax 1 the first step already moves 2 points
    values, count, ok = winsorise(np.array(TIED), winmax=1)
    assert_allclose(values, TIED[:20] + [20.0, 20.0], atol=ATOL)
    assert count == 2
    assert ok


def test_the_count_is_the_size_of_the_last_group_moved_which_grows_step_by_step():
    # steps move 1, then 2, then 3 points (each winsorised point joins the next maximum group): count 3
    values, count, ok = winsorise(np.array(THREE_STEPS))
    assert_allclose(values, THREE_STEPS[:30] + [100.0] * 4, atol=ATOL)
    assert count == 3
    assert ok


def test_the_count_adds_the_last_group_of_each_side():
    values, count, ok = winsorise(np.array(FLIP))
    assert_allclose(values, FLIP[:8] + [12.0, 1.0], atol=ATOL)
    assert count == 2  # 1 high + 1 low
    assert ok


def test_winsorisation_stops_when_the_count_reaches_winmax():
    values, count, ok = winsorise(np.array(THREE_STEPS), winmax=2)
    assert_allclose(values, THREE_STEPS[:30] + [100.0, 110.0, 110.0, 110.0], atol=ATOL)
    assert count == 2
    assert not ok


def test_winmax_zero_winsorises_nothing():
    values, count, ok = winsorise(np.array(TIED), winmax=0)
    assert_allclose(values, TIED, atol=ATOL)
    assert count == 0
    assert not ok


def test_missing_values_stay_missing_through_winsorisation():
    values, count, ok = winsorise(np.array([np.nan, *TIED, np.nan]))
    assert np.isnan(values[0]) and np.isnan(values[-1])
    assert_allclose(values[1:-1], TIED[:20] + [20.0, 20.0], atol=ATOL)
    assert count == 2


def test_the_log_transform_shifts_by_the_minimum_plus_one_hundredth_of_the_range():
    # min 0, max 100: ln(x − 0 + 1) → ln 1, ln 2, ln 101; the missing value stays missing
    assert_allclose(log_ct(np.array([0.0, 1.0, np.nan, 100.0])), [0.0, math.log(2), np.nan, math.log(101)], atol=ATOL)
    # min −5, max 15: ln(x + 5 + 0.2)
    assert_allclose(log_ct(np.array([-5.0, 0.0, 15.0])), np.log([0.2, 5.2, 20.2]), atol=ATOL)


def treatment_meta(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "iCode": [*codes, "I"],
            "Level": [1] * len(codes) + [2],
            "Parent": ["I"] * len(codes) + [None],
            "Weight": [1] * (len(codes) + 1),
            "Direction": [1] * (len(codes) + 1),
            "Type": ["Indicator"] * len(codes) + ["Aggregate"],
        }
    )


def test_the_treatment_step_winsorises_or_log_transforms_each_failing_indicator_and_says_so():
    calm = [float(i) for i in range(1, 35)]  # symmetric: G1 = 0, passes
    tied = [float(i) for i in range(1, 33)] + [200.0, 200.0]  # fails; one step of 2 points passes
    heavy = THREE_STEPS  # with winmax 2 still fails → the original values are log-transformed
    data = pd.DataFrame({"uCode": [f"u{i}" for i in range(34)], "calm": calm, "tied": tied, "heavy": heavy})
    result = build(
        data, treatment_meta(["calm", "tied", "heavy"]), {"treat": {"method": "winsorise", "params": {"winmax": 2}}}
    )

    treated = result.stages["treat"]
    assert_allclose(treated["calm"], calm, atol=ATOL)
    assert_allclose(treated["tied"], tied[:32] + [32.0, 32.0], atol=ATOL)
    logged = [math.log(x - 1 + 0.01 * 999) for x in heavy]  # ln(x − min + 0.01·(max − min))
    assert_allclose(treated["heavy"], logged, atol=ATOL)

    table = result.treatment
    assert table is not None
    assert list(table.columns) == list(TREATMENT_COLUMNS)
    assert list(table.columns) == [
        "iCode", "Skew", "Kurt", "Pass", "Winsorised", "LogTransformed", "SkewAfter", "KurtAfter", "PassAfter"
    ]  # fmt: skip
    rows = table.set_index("iCode")
    expected = {
        "calm": (calm, True, 0, False, calm, True),
        "tied": (tied, False, 2, False, tied[:32] + [32.0, 32.0], True),
        # the log of THREE_STEPS still fails (G1 2.33, G2 7.67): PassAfter is False
        "heavy": (heavy, False, 2, True, logged, False),
    }
    for code, (before, ok, count, log, after, ok_after) in expected.items():
        g1, g2 = reference_g1_g2(before)
        g1_after, g2_after = reference_g1_g2(after)
        row = rows.loc[code]
        assert_allclose([row["Skew"], row["Kurt"]], [g1, g2], atol=ATOL)
        assert_allclose([row["SkewAfter"], row["KurtAfter"]], [g1_after, g2_after], atol=ATOL)
        assert (bool(row["Pass"]), int(row["Winsorised"]), bool(row["LogTransformed"])) == (ok, count, log)
        assert bool(row["PassAfter"]) is ok_after
    assert reference_passes(calm) and not reference_passes(tied) and reference_passes(tied[:32] + [32.0, 32.0])


@pytest.mark.parametrize("winmax", [-1, 2.5, "3", True])
def test_a_winmax_that_is_no_whole_number_is_refused(winmax):
    from icc.engine.composite import SpecError

    data = pd.DataFrame({"uCode": ["u1", "u2", "u3", "u4"], "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(SpecError, match="winmax must be a whole number"):
        build(data, treatment_meta(["x"]), {"treat": {"method": "winsorise", "params": {"winmax": winmax}}})
