"""``icc composite``: a bad input is a message on stderr, exit code 1 and no file written; studies replay."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from icc.cli import main

META = """iCode,Level,Parent,Weight,Direction,Type
a,1,A,1,1,Indicator
b,1,A,1,1,Indicator
c,1,B,1,-1,Indicator
d,1,B,1,1,Indicator
A,2,I,1,1,Aggregate
B,2,I,1,1,Aggregate
I,3,,1,1,Aggregate
"""
DATA = """uCode,uName,a,b,c,d
u1,One,1,3,5,1
u2,Two,2,1,4,0
u3,Three,3,2,6,2
u4,Four,9,5,1,4
u5,Five,4,4,2,3
"""
ASSUMPTIONS = """assumptions:
  - name: Normalisation
    step: normalise
    alternatives:
      - {name: mm, method: minmax, params: {lower: 1, upper: 100}}
      - {name: z, method: zscore, params: {mean: 10, sd: 2}}
  - name: Weights
    type: weights
    noise: {1: 0.25, 2: 0.25}
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {
        "data": tmp_path / "data.csv",
        "meta": tmp_path / "meta.csv",
        "spec": tmp_path / "spec.yaml",
        "assumptions": tmp_path / "assumptions.yaml",
    }
    paths["data"].write_text(DATA, encoding="utf-8")
    paths["meta"].write_text(META, encoding="utf-8")
    paths["spec"].write_text("normalise: {method: minmax, params: {lower: 1, upper: 100}}\n", encoding="utf-8")
    paths["assumptions"].write_text(ASSUMPTIONS, encoding="utf-8")
    return paths


def icc(*args: object):
    return CliRunner().invoke(main, ["composite", *map(str, args)])


def inputs(files) -> list[object]:
    return ["--data", files["data"], "--meta", files["meta"], "--spec", files["spec"]]


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # a message, not a traceback
    assert "Nothing was written:" in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_build_writes_the_results_table(files, tmp_path):
    out = tmp_path / "results.csv"
    result = icc("build", *inputs(files), "--out", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["uCode", "uName", "a", "b", "c", "d", "A", "B", "I", "Rank"]
    assert table["Rank"].min() == 1


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("normalize: minmax\n", "unknown step(s) normalize; valid steps, in order: denominate"),
        ("normalise: minmix\n", "normalise: unknown method 'minmix'; valid methods: distance_to_best"),
        ("normalise: {method: minmax, params: {low: 1}}\n", "unknown parameter(s) low; valid parameters: lower, upper"),
        ("impute: group_mean\n", "missing required parameter(s) group"),
        ("normalise: [minmax\n", "not valid YAML"),
        ("normalise: minmax\naggregate: geometric\n", "every value must be > 0"),
    ],
)
def test_build_refuses_a_bad_spec_and_writes_nothing(files, tmp_path, spec, fragment):
    files["spec"].write_text(spec, encoding="utf-8")
    out, stages = tmp_path / "results.csv", tmp_path / "stages"
    result = icc("build", *inputs(files), "--out", out, "--stages", stages)
    assert_refused(result, fragment)
    assert not out.exists() and not stages.exists()


@pytest.mark.parametrize(
    ("which", "edits", "fragment"),
    [
        ("meta", {"B,2,I,": "B,2,,"}, "exactly one top code without Parent; found 2: B, I"),
        ("meta", {"a,1,A,": "a,1,Q,"}, "a: Parent 'Q' is not an Aggregate of the metadata"),
        ("meta", {"d,1,B,1,1,": "d,1,B,1,3,"}, "Direction must be 1 or -1, not 3"),
        ("meta", {"a,1,A,1,": "a,1,A,0,", "b,1,A,1,": "b,1,A,0,"}, "the children of A (a, b) all have weight 0"),
        ("data", {"u2,Two,2,": "u1,Two,2,"}, "uCode listed twice: u1"),
        ("data", {"u3,Three,3,": "u3,Three,three,"}, "indicator a: not a number in 1 cell(s), e.g. u3='three'"),
        ("data", {"uCode,": "code,"}, "data lacks the column uCode"),
        ("data", {",d\n": ",e\n"}, "data lacks indicator column(s) d"),
    ],
)
def test_build_refuses_bad_metadata_or_data_and_writes_nothing(files, tmp_path, which, edits, fragment):
    text = files[which].read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new, 1)
    files[which].write_text(text, encoding="utf-8")
    out = tmp_path / "results.csv"
    assert_refused(icc("build", *inputs(files), "--out", out), fragment)
    assert not out.exists()


def test_build_refuses_a_direction_that_is_no_number_with_a_message(files, tmp_path):
    files["meta"].write_text(META.replace("d,1,B,1,1,", "d,1,B,1,up,"), encoding="utf-8")
    out = tmp_path / "results.csv"
    assert_refused(icc("build", *inputs(files), "--out", out), "Direction must be 1 or -1")
    assert not out.exists()


def test_audit_refuses_a_bad_spec_and_creates_no_folder(files, tmp_path):
    files["spec"].write_text("normalise: minmix\n", encoding="utf-8")
    out = tmp_path / "audit"
    assert_refused(icc("audit", *inputs(files), "--out", out), "unknown method 'minmix'")
    assert not out.exists()


def uncertainty_args(files, tmp_path) -> list[object]:
    return ["uncertainty", *inputs(files), "--assumptions", files["assumptions"], "--out", tmp_path / "rankstats.csv"]


def test_uncertainty_refuses_bad_assumptions_and_writes_nothing(files, tmp_path):
    files["assumptions"].write_text(ASSUMPTIONS.replace("method: zscore", "method: zscor"), encoding="utf-8")
    saved = tmp_path / "design"
    result = icc(*uncertainty_args(files, tmp_path), "--runs", 5, "--seed", 1, "--save-design", saved)
    assert_refused(result, "assumption 'Normalisation', alternative 'z': normalise: unknown method 'zscor'")
    assert not (tmp_path / "rankstats.csv").exists() and not saved.exists()


def test_uncertainty_refuses_assumptions_that_are_not_yaml(files, tmp_path):
    files["assumptions"].write_text("assumptions: [\n", encoding="utf-8")
    assert_refused(icc(*uncertainty_args(files, tmp_path), "--runs", 5), "not valid YAML")
    assert not (tmp_path / "rankstats.csv").exists()


@pytest.fixture
def saved_design(files, tmp_path) -> Path:
    saved = tmp_path / "saved"
    result = icc(*uncertainty_args(files, tmp_path), "--runs", 20, "--seed", 3, "--save-design", saved)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in saved.iterdir()) == ["design.csv", "weight-sets.csv"]
    return saved


def test_uncertainty_replays_its_saved_design_exactly(files, tmp_path, saved_design):
    drawn = pd.read_csv(tmp_path / "rankstats.csv")
    assert list(drawn.columns) == ["uCode", "Nominal", "Mean", "Median", "Q5", "Q95"]
    replay = tmp_path / "replay.csv"
    result = icc(
        "uncertainty",
        *inputs(files),
        "--assumptions",
        files["assumptions"],
        "--out",
        replay,
        "--design",
        saved_design / "design.csv",
        "--weight-sets",
        saved_design / "weight-sets.csv",
    )
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_csv(replay), drawn, check_exact=True)


def test_the_same_seed_gives_the_same_files(files, tmp_path, saved_design):
    first = (tmp_path / "rankstats.csv").read_text(encoding="utf-8")
    again = tmp_path / "again"
    result = icc(*uncertainty_args(files, tmp_path), "--runs", 20, "--seed", 3, "--save-design", again)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rankstats.csv").read_text(encoding="utf-8") == first
    for name in ("design.csv", "weight-sets.csv"):
        assert (again / name).read_text(encoding="utf-8") == (saved_design / name).read_text(encoding="utf-8")


def test_uncertainty_refuses_a_design_with_an_unknown_alternative(files, tmp_path, saved_design):
    design = pd.read_csv(saved_design / "design.csv")
    design.loc[3, "Normalisation"] = "rank"
    design.to_csv(saved_design / "design.csv", index=False)
    out = tmp_path / "replay.csv"
    result = icc(
        "uncertainty",
        *inputs(files),
        "--assumptions",
        files["assumptions"],
        "--out",
        out,
        "--design",
        saved_design / "design.csv",
        "--weight-sets",
        saved_design / "weight-sets.csv",
    )
    assert_refused(result, "column Normalisation, row 5: 'rank' is not an alternative (mm, z)")
    assert not out.exists()


def test_uncertainty_refuses_weight_sets_with_an_unknown_icode(files, tmp_path, saved_design):
    sets = pd.read_csv(saved_design / "weight-sets.csv")
    sets.loc[0, "iCode"] = "Zzz"
    sets.to_csv(saved_design / "weight-sets.csv", index=False)
    out = tmp_path / "replay.csv"
    result = icc(
        "uncertainty",
        *inputs(files),
        "--assumptions",
        files["assumptions"],
        "--out",
        out,
        "--design",
        saved_design / "design.csv",
        "--weight-sets",
        saved_design / "weight-sets.csv",
    )
    assert_refused(result, "row 2: iCode 'Zzz' has no weight to set")
    assert not out.exists()


def test_sensitivity_writes_indices_and_the_same_seed_gives_the_same_indices(files, tmp_path):
    args = ["sensitivity", *inputs(files), "--assumptions", files["assumptions"], "--n", 6, "--bootstrap", 20]
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    assert icc(*args, "--seed", 9, "--out", one, "--rank-stats", tmp_path / "rs.csv").exit_code == 0
    assert icc(*args, "--seed", 9, "--out", two).exit_code == 0
    indices = pd.read_csv(one)
    assert list(indices.columns) == ["Variable", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"]
    assert indices["Variable"].tolist() == ["Normalisation", "Weights"]
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert len(pd.read_csv(tmp_path / "rs.csv")) == 5


def test_sensitivity_refuses_a_replayed_design_of_the_wrong_size(files, tmp_path):
    # 21 runs of an uncertainty design are no N(d + 2) = 4N sensitivity design
    saved = tmp_path / "saved21"
    assert icc(*uncertainty_args(files, tmp_path), "--runs", 21, "--seed", 1, "--save-design", saved).exit_code == 0
    out = tmp_path / "indices.csv"
    result = icc(
        "sensitivity",
        *inputs(files),
        "--assumptions",
        files["assumptions"],
        "--out",
        out,
        "--design",
        saved / "design.csv",
        "--weight-sets",
        saved / "weight-sets.csv",
    )
    assert_refused(result, "N(d + 2) rows (A, B, then each AB_i); 21 is not a multiple of 4")
    assert not out.exists()


def test_a_replayed_sensitivity_study_with_a_seed_repeats_its_intervals_and_its_runs(files, tmp_path):
    saved = tmp_path / "design"
    args = ["--assumptions", files["assumptions"]]
    drawn = icc(
        "sensitivity",
        *inputs(files),
        *args,
        "--n",
        "6",
        "--seed",
        "2",
        "--out",
        tmp_path / "a.csv",
        "--save-design",
        saved,
    )
    assert drawn.exit_code == 0, drawn.output
    outs = []
    for name in ("first", "second"):
        out, per_run = tmp_path / f"{name}.csv", tmp_path / f"{name}-runs.csv"
        r = icc(
            "sensitivity",
            *inputs(files),
            *args,
            "--design",
            saved / "design.csv",
            "--weight-sets",
            saved / "weight-sets.csv",
            "--seed",
            "9",
            "--bootstrap",
            "50",
            "--out",
            out,
            "--per-run",
            per_run,
        )
        assert r.exit_code == 0, r.output
        outs.append((out.read_text(), per_run.read_text()))
    assert outs[0] == outs[1]
    lines = outs[0][1].splitlines()
    rows_of_design = len((saved / "design.csv").read_text().splitlines()) - 1
    assert lines[0].split(",")[:2] == ["run", "Output"] and len(lines) - 1 == rows_of_design
