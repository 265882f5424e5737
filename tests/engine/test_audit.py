"""The statistical audit on a small index computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from icc.engine.audit import audit, cronbach_alpha, first_component_share
from icc.engine.composite import build

META = pd.DataFrame(
    {
        "iCode": ["a", "b", "c", "d", "A", "B", "I"],
        "Level": [1, 1, 1, 1, 2, 2, 3],
        "Parent": ["A", "A", "B", "B", "I", "I", None],
        "Weight": [1, 1, 1, 1, 1, 1, 1],
        "Direction": [1, 1, 1, 1, 1, 1, 1],
        "Type": ["Indicator"] * 4 + ["Aggregate"] * 3,
    }
)
DATA = pd.DataFrame(
    {
        "uCode": ["u1", "u2", "u3", "u4", "u5"],
        "a": [1.0, 2.0, 3.0, 4.0, 5.0],
        "b": [2.0, 4.0, 6.0, 8.0, 10.1],  # almost exactly a: collinear with it
        "c": [5.0, 4.0, 3.0, 2.0, 1.0],  # the reverse of a
        "d": [1.0, 1.0, 2.0, 1.0, 1.0],
    }
)


@pytest.fixture(scope="module")
def result():
    return build(DATA, META, {"normalise": "minmax"})


@pytest.fixture(scope="module")
def report(result):
    return audit(result)


def test_cronbachs_alpha_by_hand():
    # variances (n−1): 1.6667, 1.6667, 1.5833; total of row sums 6, 9, 12, 14 → 12.25; α = 1.5·(1 − 4.9167/12.25)
    block = np.array([[1.0, 2, 3], [2, 3, 4], [3, 5, 4], [4, 4, 6]])
    assert cronbach_alpha(block) == pytest.approx(1.5 * (1 - (5 / 3 + 5 / 3 + 19 / 12) / 12.25), abs=1e-12)
    assert np.isnan(cronbach_alpha(np.array([[1.0], [2.0]])))  # one child: undefined


def test_the_first_component_of_two_perfectly_correlated_children_holds_everything():
    x = np.arange(5.0)
    assert first_component_share(np.c_[x, 2 * x + 1]) == pytest.approx(1.0)
    # two uncorrelated children: half each
    assert first_component_share(np.c_[[1.0, -1, 1, -1], [1.0, 1, -1, -1]]) == pytest.approx(0.5)


def test_correlations_pearson_and_spearman_with_siblings_parent_and_index(result, report):
    c = report.correlations
    pearson = c[(c.Method == "pearson") & (c.x == "a") & (c.y == "b")].r.item()
    assert pearson == pytest.approx(np.corrcoef(DATA.a, DATA.b)[0, 1], abs=1e-12)
    spearman = c[(c.Method == "spearman") & (c.x == "a") & (c.y == "b")].r.item()
    assert spearman == pytest.approx(1.0)
    with_index = c[(c.Method == "pearson") & (c.x == "A") & (c.y == "I")].r.item()
    assert with_index == pytest.approx(np.corrcoef(result.scores.A, result.scores.I)[0, 1], abs=1e-12)
    assert set(c.Relation) == {"sibling", "parent", "index"}


def test_flags_name_the_collinear_pair_and_every_child_that_falls_as_its_parent_rises(result, report):
    f = report.flags
    assert ((f.Flag == "collinear") & (f.x == "a") & (f.y == "b")).any()
    s = result.scores
    parents = {"a": "A", "b": "A", "c": "B", "d": "B", "A": "I", "B": "I"}
    falling = {k for k, p in parents.items() if np.corrcoef(s[k], s[p])[0, 1] < 0}
    assert set(f[f.Flag == "negative"].x) == falling


def test_removing_an_indicator_moves_ranks_by_the_computed_amount(result, report):
    # without d, B = c: recompute the index by hand and count the rank moves
    n = result.normalised
    base = result.ranks["I"].to_numpy()
    without_d = ((n.a + n.b) / 2 + n.c) / 2
    moved = np.abs(pd.Series(without_d).rank(method="min", ascending=False).to_numpy() - base).mean()
    assert report.removal.set_index("iCode").loc["d", "MeanRankShift"] == pytest.approx(moved)


def test_the_summary_counts_the_flags(report):
    text = report.summary()
    assert "4 indicators, 3 aggregates." in text
    assert f"{int((report.flags.Flag == 'collinear').sum())} collinear pair(s)" in text


def test_alpha_and_pca_tables_cover_every_aggregate(report):
    assert list(report.cronbach.iCode) == ["A", "B", "I"] == list(report.pca.iCode)
    assert_allclose(report.pca.FirstComponentShare.dropna().clip(0, 1), report.pca.FirstComponentShare.dropna())
