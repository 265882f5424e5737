"""Charts explorer, embeddable charts and chart/data downloads. Every view's state lives in the query string."""

from __future__ import annotations

import inspect
import io
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from icc import charts
from icc.engine import INDEX_CORE
from icc.web.network.models import City

from . import explorer, queries
from .api import CITATION, LICENCE
from .explorer import ExplorerState
from .models import Score


def _chart_words() -> dict[str, str]:
    """Legend, axis and tooltip words of the chart builders, in the active language (their defaults are English)."""
    return {
        "peer_mean_label": _("Peer-group mean"),
        "peer_max_label": _("Peer-group best"),
        "sample_mean_label": _("Mean of all cities"),
        "mean_label": _("Mean of all cities"),
        "best_label": _("Best city"),
        "best_city_title": _("Best city"),
        "area_title": _("Area"),
        "city_title": _("City"),
        "country_title": _("Country"),
        "rank_title": _("Rank"),
        "source_title": _("Source"),
        "difference_title": _("Extended − core (points)"),
    }


def _chart(builder, *args, **kwargs) -> dict:
    """Call a chart builder with its words in the page language (arguments given here win) and the language."""
    accepted = inspect.signature(builder).parameters
    words = {k: v for k, v in _chart_words().items() if k in accepted and k not in kwargs}
    return builder(*args, **words, lang=_lang(), **kwargs)


def _lang() -> str:
    return (get_language() or "en")[:2]


@lru_cache(maxsize=1)
def world_topojson() -> dict:
    path = Path(settings.BASE_DIR) / "static" / "vendor" / "world-atlas-2.0.2-countries-110m.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _build(request: HttpRequest) -> dict:
    """The state, the chart spec, its data and the page context of an explorer URL."""
    state, problems = ExplorerState.from_query(request.GET)
    if state.chart == "progress" and not state.cities and not state.city:
        state.cities = ["oslo", "bilbao", "lublin"]  # an example to start from
    edition = queries.pick_edition(state.edition)
    lang = _lang()
    ctx: dict = {
        "state": state,
        "problems": problems,
        "editions": queries.scored_editions(),
        "edition": edition,
        "charts": explorer.CHARTS,
    }
    if edition is None:
        ctx.update({"spec": None, "data": pd.DataFrame()})
        return ctx
    if state.edition is not None and state.edition != edition.year:
        problems.append(
            _("Edition %(year)s has no published results; showing %(shown)s.")
            % {"year": state.edition, "shown": edition.year}
        )
    state.edition = edition.year
    definition = queries.definition_of(edition)
    names = {INDEX_CORE: queries.item_name(definition, INDEX_CORE, lang), **definition.item_names(lang)}
    if "index_extended" not in names:
        names["index_extended"] = queries.item_name(definition, "index_extended", lang)
    if state.item not in names:
        problems.append(
            _("%(item)s is not an area of framework %(fw)s; showing the core index.")
            % {"item": state.item, "fw": definition.id}
        )
        state.item = INDEX_CORE
    item_label = names[state.item]
    usermeta = {
        "edition": edition.year,
        "framework": f"{definition.id} {definition.version}",
        "filters": state.filters(),
        "licence": LICENCE,
        "citation": CITATION,
        "url": request.build_absolute_uri(),
    }
    bands = {
        b.id: b.label.get(lang) or b.label["en"]
        for b in definition.peer_groups.population + definition.peer_groups.foreign_born
    }
    ctx.update(
        {
            "items": names,
            "item_label": item_label,
            "bands": bands,
            "size_bands": [(b.id, bands[b.id]) for b in definition.peer_groups.population],
            "diversity_bands": [(b.id, bands[b.id]) for b in definition.peer_groups.foreign_born],
            "cities": (
                members := list(City.objects.filter(is_member=True).order_by("name").values_list("slug", "name"))
            ),
            "chosen_names": ", ".join(name for slug, name in members if slug in state.cities) or "—",
            "countries": _member_countries(lang),
        }
    )
    title_suffix = f" — {edition.year}"
    spec: dict | None
    if state.chart == "ranking":
        data = explorer.sample(edition, state, state.item)
        spec = _chart(
            charts.ranking_bars,
            data.rename(columns={"name": "city_name"}).assign(city=data["name"]),
            highlight=_city_name(state.city),
            title=f"{item_label}{title_suffix}",
            x_title=_("Score (%)"),
            usermeta=usermeta,
        )
    elif state.chart == "city":
        slug = state.city or state.peers_of or "oslo"
        data = explorer.city_peers(edition, slug, lang)
        name = _city_name(slug) or slug
        spec = (
            _chart(
                charts.city_vs_peers,
                data,
                city=name,
                title=_("%(city)s against its peer group") % {"city": name} + title_suffix,
                x_title=_("Score (%)"),
                usermeta=usermeta,
            )
            if not data.empty
            else None
        )
    elif state.chart == "progress":
        data = explorer.progress_data(state, state.item)
        spec = (
            _chart(
                charts.progress_lines,
                data,
                title=f"{item_label} — " + _("progress over time"),
                y_title=_("Score (%)"),
                x_title=_("Year"),
                computed_label=_("computed by the platform"),
                published_label=_("published historical result"),
                usermeta=usermeta,
            )
            if not data.empty
            else None
        )
    elif state.chart == "scatter":
        data = explorer.sample(edition, state, state.item)
        data = data.assign(x=data[state.x], group=data["size_group"].map(bands)).dropna(subset=["x"])
        x_title = _("Foreign-born residents (%)") if state.x == "foreign_born" else _("Population")
        spec = _chart(
            charts.scatter,
            data.assign(city=data["name"]),
            x_field="x",
            x_title=x_title,
            y_title=f"{item_label} (%)",
            log_x=state.x == "population",
            title=f"{item_label} / {x_title}{title_suffix}",
            highlight=_city_name(state.city),
            group_title=_("Size"),
            group_order=[bands[b.id] for b in definition.peer_groups.population],
            usermeta=usermeta,
        )
    else:
        data = explorer.core_extended(edition, state)
        spec = _chart(
            charts.core_vs_extended,
            data.assign(city=data["name"]),
            title=_("Core index and extended index") + title_suffix,
            x_title=_("Core index (%)"),
            y_title=_("Extended index (%)"),
            usermeta=usermeta,
        )
    ctx.update({"spec": spec, "data": data, "usermeta": usermeta})
    return ctx


def _member_countries(lang: str) -> list[tuple[str, str]]:
    """(ISO code, name in the page language) of every country with a member city, by name."""
    from icc.data.members import localized_country_name

    codes = City.objects.filter(is_member=True).values_list("country_code", flat=True).distinct()
    return sorted(((c, localized_country_name(c, lang)) for c in codes), key=lambda pair: pair[1])


def _city_name(slug: str) -> str | None:
    if not slug:
        return None
    return City.objects.filter(slug=slug).values_list("name", flat=True).first()


def explore(request: HttpRequest) -> HttpResponse:
    ctx = _build(request)
    shown = ctx["data"].round(1) if not ctx["data"].empty else ctx["data"]
    shown = shown.astype(object).where(shown.notna(), None)
    ctx["table"] = shown.head(200).to_dict("records") if not shown.empty else []
    ctx["columns"] = [c for c in ctx["data"].columns if c not in ("combined_group",)]
    return render(request, "results/explore.html", ctx)


@xframe_options_exempt
def embed(request: HttpRequest) -> HttpResponse:
    """Just the chart, for an <iframe> on another site."""
    return render(request, "results/embed.html", _build(request))


def _metadata(ctx: dict) -> list[tuple[str, str]]:
    meta = ctx.get("usermeta") or {}
    return [
        ("Intercultural Cities Index", "charts explorer download"),
        ("Downloaded", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"),
        ("Edition", str(meta.get("edition", ""))),
        ("Framework", str(meta.get("framework", ""))),
        ("Chart", ctx["state"].chart),
        ("Item", ctx.get("item_label", "")),
        ("Filters", ", ".join(f"{k}={v}" for k, v in (meta.get("filters") or {}).items()) or "none"),
        ("View", str(meta.get("url", ""))),
        ("Method", "docs/methodology.md of the ICC Index platform"),
        ("Licence", LICENCE),
        ("Cite as", CITATION),
    ]


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current view's data (csv, xlsx) or chart (svg, png), each carrying its metadata in the file."""
    ctx = _build(request)
    name = f"icc-{ctx['state'].chart}-{ctx['state'].edition or 'latest'}"
    return _file(ctx.get("spec"), ctx["data"], _metadata(ctx), name, fmt)


def _file(spec: dict | None, data: pd.DataFrame, metadata: list[tuple[str, str]], name: str, fmt: str) -> HttpResponse:
    """A chart as SVG or PNG, or its data as CSV or XLSX, with ``metadata`` inside the file."""
    if fmt in ("svg", "png"):
        if spec is None:
            return HttpResponse(_("Nothing to draw for this view."), status=404, content_type="text/plain")
        body = charts.render(spec, fmt)
        if fmt == "svg":
            note = "; ".join(f"{k}: {v}" for k, v in metadata)
            text = body.decode("utf-8")
            text = (
                text.replace(">", f"><metadata>{_xml_escape(note)}</metadata>", 1) if "<metadata" not in text else text
            )
            body = text.encode("utf-8")
        content_type = "image/svg+xml" if fmt == "svg" else "image/png"
        response = HttpResponse(body, content_type=content_type)
    elif fmt == "csv":
        buf = io.StringIO()
        for k, v in metadata:
            buf.write(f"# {k}: {v}\n")
        data.to_csv(buf, index=False)
        response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            _xlsx(data, metadata), content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    else:
        return HttpResponse(f"unknown format {fmt!r}: use csv, xlsx, svg or png", status=404, content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xlsx(data: pd.DataFrame, metadata: list[tuple[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(list(data.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in data.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    meta = wb.create_sheet("about")
    for k, v in metadata:
        meta.append([k, v])
    meta.column_dimensions["A"].width = 22
    meta.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _facts_context() -> dict:
    """The Facts & Figures charts (``specs``), their data (``tables``) and key figures, in the active language."""
    from django.db.models import Count

    from icc.web.network.models import CityFact
    from icc.web.questionnaire.models import Response

    lang = _lang()
    edition = queries.pick_edition(None)
    members = list(City.objects.filter(is_member=True).values("slug", "name", "country_code", "latitude", "longitude"))
    df = pd.DataFrame(members)
    from icc.data.members import localized_country_name

    df["country"] = [localized_country_name(c, lang) for c in df["country_code"]]
    meta = {"licence": LICENCE, "citation": CITATION, "edition": edition.year if edition else None}
    by_country = df.groupby("country").size().rename("n").reset_index().sort_values("n", ascending=False)
    population = pd.DataFrame(
        list(CityFact.objects.filter(kind="population").values_list("city__slug", "value")),
        columns=["city", "population"],
    )
    specs: dict[str, dict] = {
        "countries": _chart(
            charts.members_by_country,
            by_country,
            title=_("Member cities by country"),
            x_title=_("Member cities"),
            y_title=_("Country"),
            usermeta=meta,
        ),
        "population": _chart(
            charts.histogram,
            population,
            field="population",
            log=True,
            bin_step=0.25,
            title=_("Member cities by population"),
            x_title=_("Population"),
            y_title=_("Number of cities"),
            usermeta=meta,
        ),
    }
    per_edition = list(
        Response.objects.filter(status=Response.Status.PUBLISHED)
        .values("edition__year")
        .annotate(n=Count("id"))
        .order_by("edition__year")
    )
    context: dict = {
        "n_cities": len(df),
        "n_countries": df["country_code"].nunique(),
        "per_edition": per_edition,
        "edition": edition,
    }
    if edition is not None:
        definition = queries.definition_of(edition)
        core = explorer.sample(edition, ExplorerState(), INDEX_CORE)
        scores = dict(zip(core["city"], core["score"], strict=True))
        df["score"] = df["slug"].map(scores)
        specs["map"] = _chart(
            charts.member_map,
            df.rename(columns={"name": "city_name"}).assign(city=df["name"]),
            world_topojson=world_topojson(),
            title=_("Member cities and their core index"),
            score_title=_("Core index (%)"),
            usermeta=meta,
        )
        fb = core[["city", "foreign_born"]].dropna()
        specs["diversity"] = _chart(
            charts.histogram,
            fb,
            field="foreign_born",
            bin_step=5,
            title=_("Member cities by share of foreign-born residents"),
            x_title=_("Foreign-born residents (%)"),
            y_title=_("Number of cities"),
            usermeta=meta,
        )
        averages = pd.DataFrame(
            [
                {"item_label": queries.item_name(definition, a["item"], lang), "mean": a["mean"], "best": a["best"]}
                for a in queries.area_averages(edition)
            ]
        )
        specs["areas"] = _chart(
            charts.area_averages,
            averages,
            title=_("Average and best score per area, %(year)s") % {"year": edition.year},
            x_title=_("Score (%)"),
            usermeta=meta,
        )
        context["mean_index"] = core["score"].mean()
        context["n_scored"] = int(core["score"].notna().sum())
        context["is_demo"] = True if Score.objects.filter(edition=edition, is_demo=True).exists() else False
    tables = {}
    for key, spec in specs.items():
        values = (spec.get("data") or {}).get("values")
        if isinstance(values, list) and values and isinstance(values[0], dict):
            columns = [c for c in values[0] if not c.startswith("_")]
            tables[key] = {"columns": columns, "rows": [[v.get(c) for c in columns] for v in values]}
    context["tables"] = tables
    context["specs"] = specs
    return context


def facts_and_figures(request: HttpRequest) -> HttpResponse:
    """Facts & Figures: who the members are, where, how large and diverse, and the main results."""
    return render(request, "results/facts.html", _facts_context())


def facts_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    """One Facts & Figures chart (svg, png) or its data (csv, xlsx), with its metadata inside the file."""
    context = _facts_context()
    spec = context["specs"].get(key)
    if spec is None:
        known = ", ".join(context["specs"])
        return HttpResponse(f"unknown chart {key!r}: use one of {known}", status=404, content_type="text/plain")
    table = context["tables"].get(key) or {"columns": [], "rows": []}
    data = pd.DataFrame(table["rows"], columns=table["columns"])
    edition = context.get("edition")
    metadata = [
        ("Intercultural Cities Index", "Facts & Figures download"),
        ("Downloaded", f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"),
        ("Chart", str(title.get("text", key) if isinstance(title := spec.get("title", key), dict) else title)),
        ("Edition", str(edition.year) if edition else "none"),
        ("Framework", str(edition.framework) if edition else "none"),
        ("Source", "member cities and published results of the ICC Index platform"),
        ("Method", "docs/methodology.md of the ICC Index platform"),
        ("Licence", LICENCE),
        ("Cite as", CITATION),
    ]
    return _file(spec, data, metadata, f"icc-facts-{key}", fmt)
