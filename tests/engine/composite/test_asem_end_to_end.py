"""COINr's ASEM example end to end: the pipeline of examples/asem/spec.yaml, its results and stage files, checked
against an independent pandas computation of methods.md."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from numpy.testing import assert_allclose

from icc.cli import main
from icc.engine.composite.treat import TREATMENT_COLUMNS

ATOL = 1e-9


def reference_g1_g2(v: np.ndarray) -> tuple[float, float]:
    v = v[~np.isnan(v)]
    n = v.size
    d = v - v.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    g1 = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    g2 = ((n + 1) * (m4 / m2**2 - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return g1, g2


def reference_passes(v: np.ndarray) -> bool:
    g1, g2 = reference_g1_g2(v)
    return abs(g1) < 2 or g2 < 3.5


def reference_pipeline(
    data_path: str, meta_path: str
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, tuple[int, bool]]]:
    """methods.md §1–7 for spec.yaml written out with pandas: (normalised, scores, {failing iCode: (count, log)})."""
    data = pd.read_csv(data_path).set_index("uCode")
    meta = pd.read_csv(meta_path)
    ind = meta[meta["Type"] == "Indicator"]
    codes = list(ind["iCode"])
    x = data[codes].astype(float)
    for code, den in zip(ind["iCode"], ind["Denominator"], strict=True):  # 1. ÷ the Denominator column
        if isinstance(den, str):
            d = data[den].astype(float)
            x[code] = (x[code] / d).where(d.notna() & (d != 0))
    group = data["EurAsia_group"]  # 2. group mean
    x = x.fillna(x.groupby(group).transform("mean"))
    x = x[x.notna().mean(axis=1) >= 0.9]  # 3. availability ≥ 0.9
    failing: dict[str, tuple[int, bool]] = {}
    for code in codes:  # 4. winsorise up to 5 points, else log
        original = x[code].to_numpy(dtype=float)
        if reference_passes(original):
            continue
        y, high, low = original.copy(), 0, 0
        while not reference_passes(y) and high + low < 5:
            present = ~np.isnan(y)
            if reference_g1_g2(y)[0] >= 0:
                hit = present & (y == np.nanmax(y))
                y[hit], high = y[present & ~hit].max(), int(hit.sum())
            else:
                hit = present & (y == np.nanmin(y))
                y[hit], low = y[present & ~hit].min(), int(hit.sum())
        logged = not reference_passes(y)
        if logged:
            lo, hi = np.nanmin(original), np.nanmax(original)
            y = np.log(original - lo + 0.01 * (hi - lo))
        x[code] = y
        failing[code] = (high + low, logged)
    direction = dict(zip(ind["iCode"], ind["Direction"], strict=True))
    normalised = pd.DataFrame(index=x.index)
    for code in codes:  # 5. direction, then min-max to [0, 100]
        v = x[code] * direction[code]
        normalised[code] = (v - v.min()) / (v.max() - v.min()) * 100
    scores = normalised.copy()
    parent = dict(zip(meta["iCode"], meta["Parent"], strict=True))
    for level in (2, 3, 4):  # 6–7. every weight is 1: the plain mean of the children present
        for code in meta.loc[meta["Level"] == level, "iCode"]:
            scores[code] = scores[[k for k, p in parent.items() if p == code]].mean(axis=1)
    return normalised, scores, failing


@pytest.fixture(scope="module")
def reference(asem_paths):
    return reference_pipeline(*asem_paths)


def test_the_example_pipeline_runs_on_51_units_49_indicators_and_11_aggregates(asem_result):
    h = asem_result.hierarchy
    assert len(asem_result.scores) == 51
    assert len(h.indicators) == 49
    assert len(h.aggregates) == 11
    assert h.top == "Index"
    assert h.levels == (1, 2, 3, 4)


def test_the_only_warnings_are_the_two_units_without_energy(asem_result):
    assert asem_result.warnings == [
        "Elec: 1 unit(s) have no usable Energy (missing or 0): left missing",
        "Gas: 1 unit(s) have no usable Energy (missing or 0): left missing",
    ]


def test_the_results_table_has_the_columns_the_cli_promises(asem_result, asem_paths):
    table = asem_result.table()
    meta = pd.read_csv(asem_paths[1])
    indicators = list(meta.loc[meta["Level"] == 1, "iCode"])
    aggregates = [c for lv in (2, 3, 4) for c in meta.loc[meta["Level"] == lv, "iCode"]]
    assert list(table.columns) == ["uCode", "uName", *indicators, *aggregates, "Rank"]
    assert table.loc[table["uCode"] == "AUT", "uName"].item() == "Austria"


def test_every_score_of_the_index_is_between_0_and_100(asem_result):
    index = asem_result.scores["Index"]
    assert index.notna().all()
    assert ((index >= 0) & (index <= 100)).all()
    normalised = asem_result.normalised.to_numpy(dtype=float)
    assert np.nanmin(normalised) == 0.0 and np.nanmax(normalised) == 100.0


def test_each_aggregate_is_the_mean_of_its_children_recomputed_from_the_normalised_table(asem_result, asem_paths):
    meta = pd.read_csv(asem_paths[1])
    scores = asem_result.scores
    parent = dict(zip(meta["iCode"], meta["Parent"], strict=True))
    for code in asem_result.hierarchy.aggregates:
        kids = [k for k, p in parent.items() if p == code]
        assert_allclose(scores[code], scores[kids].mean(axis=1), atol=ATOL, err_msg=code)
    # one by hand: Austria's Sustainability = mean of its Environ, Social and SusEcFin scores
    aut = scores.loc["AUT"]
    assert_allclose(aut["Sust"], (aut["Environ"] + aut["Social"] + aut["SusEcFin"]) / 3, atol=ATOL)


def test_an_independent_computation_of_methods_md_reproduces_the_whole_run(asem_result, reference):
    normalised, scores, _ = reference
    assert list(asem_result.normalised.index) == list(normalised.index)
    assert_allclose(asem_result.normalised[normalised.columns], normalised, atol=ATOL)
    assert_allclose(asem_result.scores[scores.columns], scores, atol=ATOL)


def test_the_treatment_table_lists_the_failing_indicators_and_how_they_were_treated(asem_result, reference):
    _, _, failing = reference
    table = asem_result.treatment
    assert table is not None and len(table) == 49
    failed = table[~table["Pass"]].set_index("iCode")
    got = {code: (int(r["Winsorised"]), bool(r["LogTransformed"])) for code, r in failed.iterrows()}
    assert got == failing
    # pinned after the independent computation above agreed: 15 indicators winsorised, none log-transformed
    assert got == {
        "Flights": (1, False), "Bord": (3, False), "Gas": (3, False), "Services": (4, False), "FDI": (2, False),
        "ForPort": (3, False), "CostImpEx": (1, False), "Tariff": (3, False), "StMob": (2, False),
        "CultServ": (3, False), "Forest": (2, False), "Poverty": (3, False), "NGOs": (3, False),
        "FemLab": (1, False), "PubDebt": (1, False),
    }  # fmt: skip
    assert failed["PassAfter"].all()
    passed = table[table["Pass"]]
    assert (passed["Winsorised"] == 0).all() and not passed["LogTransformed"].any()


def test_the_top_three_and_the_last_unit_are_pinned(asem_result, reference):
    _, scores, _ = reference  # the pinned figures agree with the independent computation
    index = asem_result.scores["Index"].sort_values(ascending=False)
    assert list(index.index[:3]) == ["CHE", "NLD", "DNK"] == list(scores["Index"].nlargest(3).index)
    assert_allclose(index.iloc[:3], [68.38372423834169, 64.81951616981749, 64.80407996060767], atol=ATOL)
    assert index.index[-1] == "RUS"
    assert_allclose(index.iloc[-1], 35.655544511669, atol=ATOL)
    assert asem_result.table().set_index("uCode").loc[["CHE", "NLD", "DNK", "RUS"], "Rank"].tolist() == [1, 2, 3, 51]


def test_icc_composite_build_writes_the_results_and_every_stage_file(asem_paths, examples, tmp_path):
    data, meta = asem_paths
    out, stages = tmp_path / "results.csv", tmp_path / "stages"
    spec = str(examples / "spec.yaml")
    result = CliRunner().invoke(
        main,
        [
            "composite",
            "build",
            "--data",
            data,
            "--meta",
            meta,
            "--spec",
            spec,
            "--out",
            str(out),
            "--stages",
            str(stages),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote 51 units × 60 codes to {out}" in result.stdout
    assert "warning:" in result.stderr and "Energy" in result.stderr
    results = pd.read_csv(out)
    assert results.shape == (51, 2 + 60 + 1)
    assert list(results.columns[:2]) == ["uCode", "uName"] and results.columns[-1] == "Rank"

    names = ["denominated", "imputed", "screened", "treated", "normalised", "aggregated", "treatment"]
    assert sorted(p.name for p in stages.iterdir()) == sorted(f"{n}.csv" for n in names)
    indicators = list(results.columns[2:51])
    for name in ["denominated", "imputed", "screened", "treated", "normalised"]:
        table = pd.read_csv(stages / f"{name}.csv")
        assert list(table.columns) == ["uCode", *indicators], name
        assert len(table) == 51, name
    aggregated = pd.read_csv(stages / "aggregated.csv")
    assert list(aggregated.columns) == ["uCode", *results.columns[2:-1]]
    assert_allclose(aggregated["Index"], results["Index"], atol=ATOL)
    treatment = pd.read_csv(stages / "treatment.csv")
    assert list(treatment.columns) == list(TREATMENT_COLUMNS)
    assert treatment["iCode"].tolist() == indicators
    # the denominated stage is the raw value ÷ the denominator: Austria's flights ÷ its population
    raw = pd.read_csv(data).set_index("uCode")
    denominated = pd.read_csv(stages / "denominated.csv").set_index("uCode")
    assert_allclose(
        denominated.loc["AUT", "Flights"], raw.loc["AUT", "Flights"] / raw.loc["AUT", "Population"], atol=ATOL
    )
    assert denominated["Elec"].isna().sum() == 1
    assert pd.read_csv(stages / "imputed.csv")["Elec"].notna().all()
