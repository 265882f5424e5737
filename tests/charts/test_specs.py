"""Vega-Lite specifications of the charts: self-contained, JSON-safe, translatable, and rendered by vl-convert."""

from __future__ import annotations

import json
import struct
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from icc import charts

WORLD = Path(__file__).resolve().parents[2] / "src/icc/web/static/vendor/world-atlas-2.0.2-countries-110m.json"
USERMETA = {
    "edition": 2025,
    "framework": "icc-2025 1.0",
    "filters": {"size": "large"},
    "licence": "CC BY 4.0",
    "citation": "Council of Europe, Intercultural Cities Index 2025",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ---------------------------------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> dict:
    return json.loads(WORLD.read_text(encoding="utf-8"))


@pytest.fixture
def ranking_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Oslo", "Tilburg", "Bilbao", "Lublin", "Botkyrka", "Limassol"],
            "country": ["NO", "NL", "ES", "PL", "SE", "CY"],
            "score": [np.float64(81.25), 98.5, 74.0, 62.1, 74.0, np.nan],
            "rank": [np.int64(2), 1, 3, 5, 3, None],
            "population": [709_000, 224_000, 345_000, 339_000, 96_000, 101_000],  # extra columns are ignored
        }
    )


@pytest.fixture
def peers_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_label": ["Commitment", "Education", "School", "Neighbourhoods", "Public services"],
            "level": ["area", "area", "subarea", "area", "area"],
            "city_score": [Decimal("80.0"), 55.5, 40.0, 90.0, 33.3],
            "peer_mean": [60.0, 58.2, 45.0, np.nan, 41.7],
            "peer_max": [95.0, 88.0, 70.0, 100.0, 80.0],
            "sample_mean": [57.1, 50.0, 44.4, 61.0, 39.9],
        }
    )


@pytest.fixture
def progress_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Oslo", "Oslo", "Oslo", "Bilbao", "Bilbao", "Lublin"],
            "year": [2014, 2019, 2025, 2013, 2025, 2025],
            "score": [66.0, 71.0, 78.5, 55.0, 74.0, 62.1],
            "source": ["published", "published", "computed", "published", "computed", "computed"],
        }
    )


@pytest.fixture
def scatter_df(ranking_df) -> pd.DataFrame:
    return ranking_df.assign(
        x=ranking_df["population"].astype(float), group=["large", "large", "large", "large", "small", "small"]
    )


@pytest.fixture
def core_ext_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Oslo", "Tilburg", "Bilbao", "Lublin"],
            "country": ["NO", "NL", "ES", "PL"],
            "index_core": [81.25, 98.5, 74.0, 62.1],
            "index_extended": [83.0, 97.0, 70.5, 64.0],
        }
    )


@pytest.fixture
def countries_df() -> pd.DataFrame:
    return pd.DataFrame({"country": ["Spain", "Italy", "Portugal", "Norway"], "n": [12, 20, 9, np.int64(7)]})


@pytest.fixture
def facts_df() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "city": [f"City {i}" for i in range(40)],
            "population": np.exp(rng.normal(12, 1.1, 40)).round(),
            "foreign_born": np.r_[rng.uniform(2, 40, 39), np.nan],
        }
    )


@pytest.fixture
def averages_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_label": ["Commitment", "Education", "School", "Welcoming newcomers"],
            "level": ["area", "area", "subarea", "area"],
            "mean": [61.2, 48.0, 40.5, 52.25],
            "best": [100.0, 95.0, 90.0, 98.0],
            "best_city": ["Tilburg", "Oslo", "Oslo", "Bilbao"],
        }
    )


@pytest.fixture
def map_df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Oslo", "Bilbao", "Lublin", "Montreal", "Hamamatsu", "Nowhere"],
            "country": ["NO", "ES", "PL", "CA", "JP", "XX"],
            "latitude": [59.91, 43.26, 51.25, 45.50, 34.71, np.nan],
            "longitude": [10.75, -2.93, 22.57, -73.57, 137.73, np.nan],
            "score": [81.25, 74.0, 62.1, 70.0, None, 50.0],
        }
    )


def _specs(dfs: dict, world: dict) -> dict[str, tuple[dict, int, str]]:
    """Every chart: (spec, expected number of data values, a city or label that must appear in the SVG)."""
    return {
        "ranking_bars": (
            charts.ranking_bars(dfs["ranking"], highlight="Oslo", title="Core index — 2025", usermeta=USERMETA),
            5,
            "Tilburg",
        ),
        "city_vs_peers": (
            charts.city_vs_peers(dfs["peers"], city="Oslo", title="Oslo against its peer group", usermeta=USERMETA),
            5,
            "Oslo",
        ),
        "progress_lines": (
            charts.progress_lines(dfs["progress"], title="Core index — progress", usermeta=USERMETA),
            6,
            "Bilbao",
        ),
        "scatter": (
            charts.scatter(
                dfs["scatter"],
                x_title="Population",
                log_x=True,
                highlight="Oslo",
                title="Core index and population",
                usermeta=USERMETA,
            ),
            5,
            "Oslo",
        ),
        "core_vs_extended": (
            charts.core_vs_extended(
                dfs["core_ext"], title="Core and extended index", highlight="Lublin", usermeta=USERMETA
            ),
            4,
            "Lublin",
        ),
        "members_by_country": (
            charts.members_by_country(dfs["countries"], title="Member cities by country", usermeta=USERMETA),
            4,
            "Portugal",
        ),
        "histogram": (
            charts.histogram(
                dfs["facts"],
                field="foreign_born",
                title="Foreign-born residents",
                x_title="Foreign-born residents (%)",
                bin_step=5,
                usermeta=USERMETA,
            ),
            39,
            "Foreign-born residents (%)",
        ),
        "area_averages": (
            charts.area_averages(dfs["averages"], title="Area averages", usermeta=USERMETA),
            4,
            "Welcoming newcomers",
        ),
        "member_map": (
            charts.member_map(dfs["map"], world_topojson=world, title="Member cities", usermeta=USERMETA),
            5,
            "Hamamatsu",
        ),
    }


@pytest.fixture
def all_specs(
    ranking_df, peers_df, progress_df, scatter_df, core_ext_df, countries_df, facts_df, averages_df, map_df, world
):
    return _specs(
        {
            "ranking": ranking_df,
            "peers": peers_df,
            "progress": progress_df,
            "scatter": scatter_df,
            "core_ext": core_ext_df,
            "countries": countries_df,
            "facts": facts_df,
            "averages": averages_df,
            "map": map_df,
        },
        world,
    )


CHARTS = [
    "ranking_bars",
    "city_vs_peers",
    "progress_lines",
    "scatter",
    "core_vs_extended",
    "members_by_country",
    "histogram",
    "area_averages",
    "member_map",
]


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_MAGIC
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# ---------------------------------------------------------------------------------------------------------------------
# every chart
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CHARTS)
def test_spec_is_self_contained_json(all_specs, name):
    spec, n_values, _ = all_specs[name]
    text = json.dumps(spec, allow_nan=False)  # no NaN, no numpy scalars
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v6.json"
    assert spec["title"]["text"]
    assert isinstance(spec["description"], str) and spec["description"].endswith(".")
    assert spec["usermeta"] == USERMETA
    assert isinstance(spec["width"], int) and spec["width"] > 0
    assert spec["width"] != "container" and "container" not in text
    assert '"url"' not in text
    assert len(spec["data"]["values"]) == n_values
    for row in spec["data"]["values"]:
        assert all(v is None or isinstance(v, str | int | float | bool) for v in row.values())


@pytest.mark.parametrize("name", CHARTS)
def test_svg_and_png(all_specs, name):
    spec, _, must_show = all_specs[name]
    svg = charts.render(spec, "svg").decode("utf-8")
    assert svg.startswith("<svg")
    assert must_show in svg  # as text or in a mark's aria-label
    png = charts.render(spec, "png", scale=2.0)
    width, height = _png_size(png)
    assert abs(width - spec["width"] * 2) <= 4  # autosize fit-x: the spec width is the image width
    assert height > 0


def test_render_rejects_unknown_format(all_specs):
    spec = all_specs["members_by_country"][0]
    with pytest.raises(ValueError, match="svg, png"):
        charts.render(spec, "pdf")


def test_render_png_scale(all_specs):
    spec = all_specs["members_by_country"][0]
    assert _png_size(charts.render(spec, "png", scale=1.0))[0] == pytest.approx(spec["width"], abs=2)


# ---------------------------------------------------------------------------------------------------------------------
# one chart at a time
# ---------------------------------------------------------------------------------------------------------------------


def test_ranking_sorted_labelled_and_highlighted(ranking_df):
    spec = charts.ranking_bars(ranking_df, highlight="Oslo", title="t")
    values = spec["data"]["values"]
    assert [v["label"] for v in values] == ["1. Tilburg", "2. Oslo", "3. Bilbao", "3. Botkyrka", "5. Lublin"]
    assert [v["highlight"] for v in values] == [False, True, False, False, False]
    assert values[1] == {
        "city": "Oslo",
        "country": "NO",
        "score": 81.25,
        "rank": 2,
        "label": "2. Oslo",
        "highlight": True,
    }
    assert spec["height"] == 5 * 14
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert {t["field"] for t in spec["encoding"]["tooltip"]} == {"city", "country", "score", "rank"}
    assert all(t.get("format") == ".1f" for t in spec["encoding"]["tooltip"] if t["field"] == "score")
    assert "Tilburg 98.5%" in spec["description"] and "Oslo highlighted (rank 2, 81.2%)" in spec["description"]


def test_ranking_without_country_or_highlight():
    df = pd.DataFrame({"city": ["A", "B"], "score": [10.0, 20.0], "rank": [2, 1]})
    spec = charts.ranking_bars(df, title="t", width=400, bar_height=20)
    assert [v["label"] for v in spec["data"]["values"]] == ["1. B", "2. A"]
    assert spec["height"] == 40 and spec["width"] == 400
    assert "country" not in {t["field"] for t in spec["encoding"]["tooltip"]}


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="rank"):
        charts.ranking_bars(pd.DataFrame({"city": ["A"], "score": [1.0]}), title="t")


def test_french_titles(ranking_df, peers_df, progress_df):
    spec = charts.ranking_bars(
        ranking_df,
        title="Indice de base — 2025",
        x_title="Score (%)",
        city_title="Ville",
        country_title="Pays",
        rank_title="Rang",
        description="Classement de 5 villes.",
    )
    assert spec["title"]["text"] == "Indice de base — 2025"
    assert spec["description"] == "Classement de 5 villes."
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == ["Ville", "Pays", "Score (%)", "Rang"]
    peers = charts.city_vs_peers(
        peers_df,
        city="Oslo",
        title="Oslo et son groupe de pairs",
        x_title="Score (%)",
        peer_mean_label="Moyenne des pairs",
        peer_max_label="Meilleur pair",
        area_title="Domaine",
    )
    assert peers["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["Oslo", "Moyenne des pairs", "Meilleur pair"]
    svg = charts.render(peers, "svg").decode()
    assert "Moyenne des pairs" in svg and "Meilleur pair" in svg and "Oslo et son groupe de pairs" in svg
    progress = charts.progress_lines(
        progress_df,
        title="Progrès",
        y_title="Score (%)",
        x_title="Année",
        city_title="Ville",
        published_label="résultat historique publié",
        computed_label="calculé",
    )
    svg = charts.render(progress, "svg").decode()
    assert "Année" in svg and "résultat historique publié" in svg and "Ville" in svg


def test_city_vs_peers_keeps_order_and_indents_subareas(peers_df):
    spec = charts.city_vs_peers(peers_df, city="Oslo", title="t")
    labels = [v["label"] for v in spec["data"]["values"]]
    assert [lab.replace(charts.SUBAREA_PREFIX, "") for lab in labels] == list(peers_df["item_label"])
    assert labels[2] == charts.SUBAREA_PREFIX + "School" and not labels[1].startswith(charts.SUBAREA_PREFIX)
    assert spec["encoding"]["y"]["sort"] == labels
    assert spec["data"]["values"][0]["city_score"] == 80.0  # Decimal → float
    assert spec["data"]["values"][3]["peer_mean"] is None  # NaN → null
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "tick", "point"]
    assert spec["layer"][0]["encoding"]["x"]["field"] == "city_score"
    assert spec["layer"][1]["encoding"]["x"]["field"] == "peer_mean"
    assert spec["layer"][2]["encoding"]["x"]["field"] == "peer_max"
    assert "above the peer mean in 1 of 3" in spec["description"]


def test_progress_marks_published_points(progress_df):
    spec = charts.progress_lines(progress_df, title="t")
    assert {v["source"] for v in spec["data"]["values"]} == {"computed", "published"}
    published = spec["layer"][2]
    assert published["transform"] == [{"filter": "datum.source === 'published'"}]
    assert published["mark"]["filled"] is False
    scale = published["encoding"]["shape"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "computed (current framework)": "circle",
        "published result (as in its source)": "diamond",
    }
    assert spec["encoding"]["x"]["axis"]["format"] == "d"
    assert all(isinstance(v["year"], int) for v in spec["data"]["values"])


def test_scatter_log_scale_drops_non_positive_and_keeps_group_order(scatter_df):
    df = scatter_df.assign(x=[0.0, 224_000, 345_000, 339_000, 96_000, 101_000])
    spec = charts.scatter(df, x_title="Population", log_x=True, title="t", group_order=["small", "large"])
    assert "Oslo" not in {v["city"] for v in spec["data"]["values"]}
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    assert spec["layer"][0]["encoding"]["color"]["sort"] == ["small", "large"]
    linear = charts.scatter(scatter_df.rename(columns={"x": "fb"}), x_field="fb", x_title="Foreign-born (%)", title="t")
    assert "type" not in linear["layer"][0]["encoding"]["x"]["scale"]
    assert len(linear["layer"]) == 1  # no highlight layers


def test_core_vs_extended_has_reference_line(core_ext_df):
    spec = charts.core_vs_extended(core_ext_df, title="t")
    rule = spec["layer"][0]
    assert rule["mark"]["type"] == "rule"
    enc = rule["encoding"]
    assert (enc["x"]["datum"], enc["y"]["datum"], enc["x2"]["datum"], enc["y2"]["datum"]) == (0, 0, 100, 100)
    assert spec["data"]["values"][0]["difference"] == pytest.approx(1.75)


def test_members_by_country_sorted(countries_df):
    spec = charts.members_by_country(countries_df, title="t")
    assert [v["country"] for v in spec["data"]["values"]] == ["Italy", "Spain", "Portugal", "Norway"]
    assert spec["description"] == "Bar chart of 48 member cities in 4 countries; most in Italy (20)."


def test_histogram_log(facts_df):
    spec = charts.histogram(
        facts_df, field="population", title="City size", x_title="Population", log=True, bin_step=0.25
    )
    assert len(spec["data"]["values"]) == 40
    assert spec["transform"][0]["calculate"].startswith("log(")
    assert spec["transform"][1]["bin"] == {"step": 0.25}
    svg = charts.render(spec, "svg").decode()
    assert "100,000" in svg and "100k" not in svg  # axis labels are back-transformed, written in full


def test_area_averages_marks(averages_df):
    spec = charts.area_averages(averages_df, title="t", mean_label="Moyenne", best_label="Meilleure ville")
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "point"]
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["Moyenne", "Meilleure ville"]
    assert "best_city" in {t["field"] for t in spec["encoding"]["tooltip"]}


def test_member_map_inlines_topojson(map_df, world):
    spec = charts.member_map(map_df, world_topojson=world, title="t", projection="naturalEarth1")
    land = spec["layer"][0]
    assert land["data"]["values"] is world  # inline, not copied
    assert land["data"]["format"] == {"type": "topojson", "feature": "countries"}
    assert spec["projection"] == {"type": "naturalEarth1"}
    assert spec["layer"][-1]["encoding"]["color"]["field"] == "score"
    assert "color" not in spec["layer"][1]["encoding"]  # unscored members in grey
    assert "Nowhere" not in {v["city"] for v in spec["data"]["values"]}
    no_score = charts.member_map(map_df.drop(columns="score"), world_topojson=world, title="t")
    assert "field" not in no_score["layer"][1]["encoding"]["color"]


def test_empty_frames_still_give_valid_specs():
    spec = charts.ranking_bars(pd.DataFrame(columns=["city", "score", "rank"]), title="t")
    assert spec["data"]["values"] == [] and spec["description"]
    json.dumps(spec, allow_nan=False)
    assert charts.render(spec, "svg").startswith(b"<svg")


def test_to_json_value():
    assert charts.to_json_value(np.float64("inf")) is None
    assert charts.to_json_value(pd.NA) is None
    assert charts.to_json_value(np.bool_(True)) is True
    assert charts.to_json_value(pd.Timestamp("2025-01-02")) == "2025-01-02T00:00:00"
    assert charts.to_json_value(Decimal("12.5")) == 12.5


# ---------------------------------------------------------------------------------------------------------------------
# what the browser console and the downloaded files show
# ---------------------------------------------------------------------------------------------------------------------

# Vega-Lite drops (with a console warning) a shape channel on any mark but point: only points may carry one.
SHAPE_MARKS = {"point"}


def _layers(spec: dict) -> list[dict]:
    found = []
    for layer in [spec, *spec.get("layer", [])]:
        found.append(layer)
        found.extend(_layers(layer) if layer is not spec and "layer" in layer else [])
    return found


@pytest.mark.parametrize("name", CHARTS)
def test_no_layer_encodes_a_shape_its_mark_cannot_draw(all_specs, name):
    spec = all_specs[name][0]
    for layer in _layers(spec):
        mark = layer.get("mark")
        kind = mark.get("type") if isinstance(mark, dict) else mark
        if kind is not None and "shape" in layer.get("encoding", {}):
            assert kind in SHAPE_MARKS, f"{name}: a {kind} mark with a shape channel"


def test_the_peers_chart_legend_still_names_every_mark(peers_df):
    spec = charts.city_vs_peers(peers_df, city="Oslo", title="t")
    svg = charts.render(spec, "svg").decode()
    for label in ("Oslo", "Peer-group mean", "Peer-group best"):
        assert f">{label}</text>" in svg


def test_progress_names_demo_scores_and_keeps_published_results_apart(progress_df):
    df = progress_df.assign(
        is_demo=[False, False, True, False, True, True],
        source_url=["https://a.org/2014", "https://a.org/2019", None, "https://b.org", None, None],
    )
    spec = charts.progress_lines(df, title="t", demo_label="demo score (invented)")
    labels = {(v["source"], v["source_label"]) for v in spec["data"]["values"]}
    assert labels == {("computed", "demo score (invented)"), ("published", "published result (as in its source)")}
    scale = spec["layer"][1]["encoding"]["shape"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "demo score (invented)": "circle",
        "published result (as in its source)": "diamond",
    }
    published_tooltip = [t["field"] for t in spec["layer"][2]["encoding"]["tooltip"]]
    assert published_tooltip[-1] == "source_url"
    svg = charts.render(spec, "svg").decode()
    assert ">demo score (invented)</text>" in svg and ">published result (as in its source)</text>" in svg


def test_a_chart_of_demo_data_says_so_under_its_title_and_in_its_text_alternative(ranking_df):
    note = "Demo data generated by the ICC Index platform — not real results"
    spec = charts.mark_demo(charts.ranking_bars(ranking_df, title="Core index"), note)
    assert spec["title"]["text"] == "Core index" and spec["title"]["subtitle"] == note
    assert spec["description"].startswith(note + ". Bar chart")  # two sentences, each with its full stop
    assert note in charts.render(spec, "svg").decode()


def _png_text_chunks(png: bytes) -> dict[str, str]:
    """Every tEXt/iTXt chunk of a PNG, read by the standard's layout (CRC checked), independently of the writer."""
    import zlib

    assert png[:8] == PNG_MAGIC
    pos, found, kinds = 8, {}, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF, kind
        kinds.append(kind)
        if kind == b"tEXt":
            key, _, value = data.partition(b"\x00")
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\x00")
            assert rest[:2] == b"\x00\x00"  # not compressed
            _lang, _, rest = rest[2:].partition(b"\x00")
            _translated, _, value = rest.partition(b"\x00")
            found[key.decode("latin-1")] = value.decode("utf-8")
        pos += 12 + length
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    return found


def test_a_png_carries_its_metadata_as_text_chunks(ranking_df):
    meta = [("Title", "Core index — 2025"), ("Licence", "CC BY 4.0"), ("Filters", "size=pop-200k-500k")]
    png = charts.render(charts.ranking_bars(ranking_df, title="Core index"), "png", metadata=meta)
    assert _png_text_chunks(png) == dict(meta)  # the em dash is not Latin-1: an iTXt chunk, the others tEXt
    assert _png_size(png)[0] > 0


def test_an_svg_carries_its_metadata(ranking_df):
    svg = charts.render(charts.ranking_bars(ranking_df, title="t"), "svg", metadata=[("Cite as", "A & B <c>")])
    assert "<metadata>Cite as: A &amp; B &lt;c&gt;</metadata>" in svg.decode()


def _revised_df() -> pd.DataFrame:
    """Two cities scored with icc-2011 in 2012 and 2015 and with icc-2019 in 2019 and 2025, and one published result."""
    rows = [
        {"city": city, "year": year, "score": base + step, "framework": fw, "source": "computed"}
        for city, base in (("Oslo", 30.0), ("Bilbao", 45.0))
        for year, fw, step in (
            (2012, "icc-2011", 0),
            (2015, "icc-2011", 5),
            (2019, "icc-2019", 12),
            (2025, "icc-2019", 22),
        )
    ]
    rows.append({"city": "Bilbao", "year": 2013, "score": 64.0, "framework": "published", "source": "published"})
    return pd.DataFrame(rows)


def test_progress_breaks_each_citys_line_where_the_framework_changes_and_marks_the_revision():
    spec = charts.progress_lines(_revised_df(), title="t")
    line = spec["layer"][2]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["detail"] == {"field": "framework", "type": "nominal"}  # one line per city and framework
    frameworks = {(v["city"], v["year"]): v["framework"] for v in spec["data"]["values"]}
    assert frameworks[("Oslo", 2015)] == "icc-2011" and frameworks[("Oslo", 2019)] == "icc-2019"
    assert frameworks[("Bilbao", 2013)] == ""  # a published result joins no line
    rule, label = spec["layer"][0], spec["layer"][1]  # drawn first: under the points of the first edition
    assert rule["mark"]["type"] == "rule" and label["mark"]["type"] == "text"
    # on the first edition of the revised framework, not between two editions (it read "revised in 2017")
    assert rule["data"]["values"] == [{"year": 2019, "first_year": 2019, "label": "first edition on icc-2019"}]
    svg = charts.render(spec, "svg").decode()
    assert ">first edition on icc-2019</text>" in svg
    french = charts.progress_lines(_revised_df(), title="t", lang="fr")
    assert french["layer"][1]["data"]["values"][0]["label"] == "première édition sur icc-2019"
    assert ">première édition sur icc-2019</text>" in charts.render(french, "svg").decode()
    one = charts.progress_lines(_revised_df().query("framework != 'icc-2011'"), title="t")
    assert [layer["mark"]["type"] for layer in one["layer"]] == ["line", "point", "point"]  # no revision: no mark
    assert "broken" not in one["description"]


def test_progress_labels_the_newest_year_even_with_more_than_twelve_years():
    rows = [{"city": "Oslo", "year": 2000 + i, "score": 50.0, "source": "published"} for i in range(0, 24)]
    rows += [{"city": "Oslo", "year": y, "score": 60.0, "source": "computed"} for y in (2012, 2019, 2025)]
    values = charts.progress_lines(pd.DataFrame(rows), title="t")["encoding"]["x"]["axis"]["values"]
    assert values[0] == 2000 and values[-1] == 2025 and {2012, 2019} <= set(values)


def test_progress_says_under_its_title_what_the_scores_rest_on_even_on_demo_data(progress_df):
    note = "Scores on the 49 questions both frameworks share"
    spec = charts.progress_lines(progress_df, title="t", note=note)
    assert spec["title"]["subtitle"] == [note] and spec["description"].endswith(f" {note}.")
    charts.mark_demo(spec, "Demo data")
    charts.trends.with_note(spec, note)  # what the explorer does after marking demo data: the note comes back
    assert spec["title"]["subtitle"] == ["Demo data", note]
    assert spec["description"].count(note) == 1
    assert note in charts.render(spec, "svg").decode()
