"""Study-visit pages: the match list for a city and an area (with the request form), the visits of the user's
cities, and a visit with its answer, record and follow-up. Rules: :mod:`.visits`; scores: :mod:`.matching`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from icc.web.accounts.permissions import AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name
from icc.web.results import queries

from . import exports, matching, practices, visits
from .listing import Filters
from .models import GoodPractice, StudyVisit

PARTS = {
    "gap": gettext_lazy("Score gap"),
    "size": gettext_lazy("Similar size"),
    "diversity": gettext_lazy("Similar diversity"),
    "practices": gettext_lazy("Published practices"),
    "language": gettext_lazy("Shared language"),
    "mentor": gettext_lazy("Hosts visits"),
}
"""The parts of a match score (:class:`icc.engine.matching.MatchWeights`), as the pages name them."""


def _lang() -> str:
    return (get_language() or "en")[:2]


def _now() -> datetime:
    return datetime.now(UTC)


def match(request: HttpRequest) -> HttpResponse:
    """The mentor cities for a city and an area, best first, each score with its parts."""
    lang = _lang()
    f = Filters(request)
    members = queries.in_name_order(City.objects.filter(is_member=True), lang)
    own = practices.official_city_ids(request.user)
    areas = practices.area_choices(lang)
    city_slug = f.choice("city", [(c.slug, c.name) for c in members], _("city"))
    if not city_slug and own and "city" not in request.GET:
        city_slug = next(c.slug for c in members if c.pk in own)
        f.chosen["city"] = city_slug
    area = f.choice("area", areas, _("area"))
    city = next((c for c in members if c.slug == city_slug), None)
    context: dict = {"filters": f, "members": members, "areas": areas, "city": city, "area": area}
    if city is not None and area:
        found = matching.matches(city, area)
        names = {c.slug: c for c in members}
        hosts = [str(slug) for slug in found.table.index if str(slug) in names]
        shown: dict[int, list[GoodPractice]] = {}
        for p in GoodPractice.objects.filter(
            city__slug__in=hosts, status=GoodPractice.Status.PUBLISHED, area_rows__area=area
        ).order_by("-published", "title"):
            shown.setdefault(p.city_id, []).append(p)
        rows = []
        for slug in hosts:
            r, host = found.table.loc[slug], names[slug]
            rows.append(
                {
                    "city": host,
                    "score": r["score"],
                    "total": r["total"],
                    "parts": [(label, r[p], r[f"contrib_{p}"]) for p, label in PARTS.items()],
                    "practices": shown.get(host.pk, [])[:3],
                }
            )
        context.update(
            {
                "rows": rows,
                "edition": found.edition,
                "own_score": found.own_score,
                "weights": [(label, getattr(found.weights, p)) for p, label in PARTS.items()],
                "area_name": dict(areas).get(area, area),
                "may_request": city.pk in own or is_secretariat(request.user),
            }
        )
    return render(request, "learning/match.html", context, status=400 if f.problems else 200)


@login_required
def request_visit(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("learning:match")
    visitor = get_object_or_404(City, slug=request.POST.get("city", ""))
    host = get_object_or_404(City, slug=request.POST.get("host", ""))
    area = request.POST.get("area", "")
    if area not in dict(practices.area_choices("en")):
        raise Http404(_("Unknown area."))
    found = matching.matches(visitor, area, limit=None)
    row = found.table.loc[host.slug].to_dict() if host.slug in found.table.index else {}
    try:
        visit = visits.request_visit(
            visitor, host, area, request.POST.get("message", ""), request.user, _now(), found.edition,
            {k: float(v) for k, v in row.items()},
        )  # fmt: skip
    except visits.Refused as exc:
        from django.contrib import messages

        messages.error(request, str(exc))
        return redirect(f"/visits/match/?city={visitor.slug}&area={area}#host-{host.slug}")
    return redirect(f"/visits/{visit.pk}/?sent=1")


@login_required
def visit_list(request: AuthedRequest) -> HttpResponse:
    qs = StudyVisit.objects.select_related("visitor", "host")
    if not is_secretariat(request.user):
        own = practices.official_city_ids(request.user)
        qs = qs.filter(Q(visitor_id__in=own) | Q(host_id__in=own))
    f = Filters(request)
    status = f.choice("status", StudyVisit.Status.choices, _("status"))
    if status:
        qs = qs.filter(status=status)
    page = f.page(qs)
    names = dict(practices.area_choices(_lang()))
    for v in page:
        v.area_name = names.get(v.area, v.area)
    return render(
        request,
        "learning/visits.html",
        {"page": page, "filters": f, "statuses": StudyVisit.Status.choices},
        status=400 if f.problems else 200,
    )


def _visit_context(request: HttpRequest, visit: StudyVisit) -> dict:
    return {
        "v": visit,
        "area_name": practices.area_name(visit.area, _lang()),
        "allowed": visits.allowed(request.user, visit),
        "sides": visits.side(request.user, visit),
        "parts": [(label, visit.match.get(p), visit.match.get(f"contrib_{p}")) for p, label in PARTS.items()]
        if visit.match
        else [],
        "visitor": city_name(visit.visitor),
        "host": city_name(visit.host),
    }


def _date(value: str) -> date | None:
    try:
        return parse_date(value.strip()) if value.strip() else None
    except ValueError:
        return None


@login_required
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(StudyVisit.objects.select_related("visitor", "host"), pk=pk)
    if not visits.may_see(request.user, visit):
        raise Http404(_("No study visit of your cities has this address."))
    problems = []
    if request.method == "POST":
        p = request.POST
        values: dict = {k: p.get(k) for k in ("reply", "participants", "programme", "transfer")}
        for name in ("starts", "ends"):
            raw = p.get(name, "")
            values[name] = _date(raw)
            if raw.strip() and values[name] is None:
                problems.append(_("%(value)s is not a date (use YYYY-MM-DD).") % {"value": raw[:20]})
        revision = p.get("revision", "")
        if not problems:
            try:
                visits.act(
                    pk, p.get("action", ""), request.user, int(revision) if revision.isdigit() else -1, _now(), values
                )
            except visits.Refused as exc:
                problems.append(str(exc))
            else:
                return redirect(f"{request.path}?done={p.get('action', '')}")
        visit.refresh_from_db()
    context = _visit_context(request, visit) | {"problems": problems, "posted": request.POST}
    return render(request, "learning/visit.html", context, status=400 if problems else 200)


@secretariat_only
def visit_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    columns = [
        "id", "visitor", "host", "area", "status", "requested", "replied", "starts", "ends", "participants",
        "programme", "transfer", "match_total", "demo",
    ]  # fmt: skip
    rows = [
        [
            v.pk,
            v.visitor.slug,
            v.host.slug,
            v.area,
            v.status,
            v.requested.isoformat(),
            v.replied.isoformat() if v.replied else "",
            v.starts.isoformat() if v.starts else "",
            v.ends.isoformat() if v.ends else "",
            v.participants,
            v.programme,
            v.transfer,
            v.match.get("total", ""),
            v.is_demo,
        ]  # fmt: skip
        for v in StudyVisit.objects.select_related("visitor", "host").order_by("pk")
    ]
    return exports.table_response(columns, rows, fmt, "study-visits")
