"""Good-practice pages: the searchable list, a record, the city's form, moderation and the secretariat's export.
The rules live in :mod:`.practices` and :mod:`.search`."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from icc.data.members import localized_country_name
from icc.web.accounts.permissions import AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name
from icc.web.questionnaire.evidence import keep_extension, problem_with

from . import exports, practices, search
from .bands import current_bands
from .listing import Filters, form_page
from .models import GoodPractice, PracticeFile, TargetGroup
from .practice_forms import PracticeForm

Status = GoodPractice.Status


def _lang() -> str:
    return (get_language() or "en")[:2]


def _now() -> datetime:
    return datetime.now(UTC)


def filtered_practices(request: HttpRequest) -> tuple[Filters, object, dict]:
    """The published practices the list's filters and search words choose, best match (or newest) first."""
    lang = _lang()
    f = Filters(request)
    q = f.text("q")
    areas = practices.area_choices(lang)
    area = f.choice("area", areas, _("area"))
    published = GoodPractice.objects.filter(status=Status.PUBLISHED)
    member_countries = sorted(
        {(c, localized_country_name(c, lang)) for c in published.values_list("city__country_code", flat=True)},
        key=lambda c: c[1],
    )
    country = f.choice("country", member_countries, _("country"))
    bands = current_bands()
    size = f.choice("size", bands.size_labels, _("size"))
    diversity = f.choice("diversity", bands.diversity_labels, _("diversity"))
    language = f.choice("language", settings.LANGUAGES, _("language"))
    cities = City.objects.filter(pk__in=published.values("city"))
    city = f.choice("city", [(c.slug, c.name) for c in cities], _("city"))
    qs = published.select_related("city")
    if area:
        qs = qs.filter(area_rows__area=area)
    if country:
        qs = qs.filter(city__country_code=country)
    if size:
        qs = qs.filter(city__slug__in=[s for s, b in bands.size.items() if b == size])
    if diversity:
        qs = qs.filter(city__slug__in=[s for s, b in bands.diversity.items() if b == diversity])
    if language:
        qs = qs.filter(language=language)
    if city:
        qs = qs.filter(city__slug=city)
    qs = search.matching(qs, q) if q else qs.order_by("-published", "title")
    options = {
        "areas": areas,
        "countries": member_countries,
        "sizes": bands.size_labels,
        "diversities": bands.diversity_labels,
        "languages": settings.LANGUAGES,
        "cities": sorted(((c.slug, city_name(c)) for c in cities), key=lambda c: c[1]),
        "bands_edition": bands.edition,
    }
    return f, qs, options


def practice_list(request: HttpRequest) -> HttpResponse:
    f, qs, options = filtered_practices(request)
    page = f.page(qs)
    lang = _lang()
    names = dict(options["areas"])
    for p in page:
        p.area_names = [names.get(a, a) for a in p.areas]
    return render(
        request,
        "learning/practice_list.html",
        {
            "page": page,
            "filters": f,
            "options": options,
            "any_demo": GoodPractice.objects.filter(status=Status.PUBLISHED, is_demo=True).exists(),
            "own_cities": practices.official_city_ids(request.user),
            "lang": lang,
        },
        status=400 if f.problems else 200,
    )


def _detail(request: HttpRequest, practice: GoodPractice, status: int = 200, **extra: object) -> HttpResponse:
    lang = _lang()
    context = {
        "p": practice,
        "area_names": [(a, practices.area_name(a, lang)) for a in practice.areas],
        "groups": [TargetGroup(g).label for g in practice.target_groups if g in TargetGroup.values],
        "may_edit": practices.may_edit(request.user, practice),
        "actions": practices.actions_for(request.user, practice),
        "files": practice.files.order_by("uploaded"),
        "is_demo": practice.is_demo,
        **extra,
    }
    return render(request, "learning/practice_detail.html", context, status=status)


def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = practices.visible(request.user).select_related("city").filter(pk=pk).first()
    if practice is None:
        raise Http404(_("No good practice has this address, or it is not published."))
    return _detail(request, practice)


def _editable_cities(user) -> object:  # type: ignore[no-untyped-def]
    if is_secretariat(user):
        return City.objects.filter(is_member=True)
    return City.objects.filter(pk__in=practices.official_city_ids(user))


@login_required
def practice_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """A city's form for a new practice or an edit of its own (the secretariat may edit any)."""
    practice = get_object_or_404(GoodPractice, pk=pk) if pk is not None else GoodPractice()
    cities = _editable_cities(request.user)
    if pk is not None and not practices.may_edit(request.user, practice):
        raise PermissionDenied(_("Only the city's officials and the secretariat edit this record."))
    if pk is None and not cities.exists():  # type: ignore[attr-defined]
        raise PermissionDenied(_("Only a member city's officials and the secretariat record good practices."))
    form = PracticeForm(request.POST or None, instance=practice, areas=practices.area_choices(_lang()), cities=cities)
    problems = []
    if request.method == "POST" and form.is_valid():
        revision = request.POST.get("revision", "")
        try:
            saved = practices.save(
                form.apply(), request.user, _now(), revision=int(revision) if revision.isdigit() else None
            )
        except practices.Refused as exc:
            problems.append(str(exc))
        else:
            return redirect(f"/practices/{saved.pk}/?saved=1")
    return form_page(request, "learning/practice_form.html", {"form": form, "p": practice, "problems": problems})


@login_required
def practice_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """Submit, publish or return a practice (POST)."""
    if request.method != "POST":
        return redirect(f"/practices/{pk}/")
    practice = practices.visible(request.user).filter(pk=pk).first()
    if practice is None:
        raise Http404(_("No good practice has this address, or it is not published."))
    revision = request.POST.get("revision", "")
    try:
        practices.transition(
            pk,
            request.POST.get("action", ""),
            request.user,
            int(revision) if revision.isdigit() else -1,
            request.POST.get("comment", ""),
            _now(),
        )
    except practices.Refused as exc:
        return _detail(
            request,
            practice,
            status=409 if isinstance(exc, practices.Stale) else 400,
            problems=[str(exc)],
            comment=request.POST.get("comment", ""),
        )
    return redirect(f"/practices/{pk}/?done={request.POST.get('action', '')}")


@login_required
def practice_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Attach an image or file to a practice (POST), type checked by extension and content."""
    practice = get_object_or_404(GoodPractice, pk=pk)
    if not practices.may_edit(request.user, practice):
        raise PermissionDenied(_("Only the city's officials and the secretariat edit this record."))
    if request.method == "POST":
        f = request.FILES.get("file")
        problem = problem_with(f)
        if problem is None and practice.files.count() >= 10:
            problem = _("A record has at most 10 files; remove one first.")
        if problem is None and f is not None:
            name = keep_extension(f.name or "file", 200)
            PracticeFile.objects.create(
                practice=practice,
                file=f,
                name=name,
                content_type=f.content_type or "application/octet-stream",
                size=f.size or 0,
                uploaded=_now(),
                uploaded_by=request.user,
            )
            return redirect(f"/practices/{pk}/?uploaded=1")
        return _detail(request, practice, status=400, upload_problem=problem)
    return redirect(f"/practices/{pk}/")


def practice_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    from django.http import FileResponse

    practice = practices.visible(request.user).filter(pk=pk).first()
    record = PracticeFile.objects.filter(pk=file_id, practice=practice).first() if practice else None
    if record is None:
        raise Http404(_("No such file."))
    return FileResponse(
        record.file.open("rb"),
        as_attachment=not record.is_image,
        filename=record.name,
        content_type=record.content_type,
    )


@login_required
def own_practices(request: AuthedRequest) -> HttpResponse:
    """The records of the user's own cities in every state, or for the secretariat the moderation queue."""
    lang = _lang()
    if is_secretariat(request.user):
        qs = GoodPractice.objects.filter(status=Status.SUBMITTED).order_by("submitted")
        title = _("Good practices waiting for moderation")
    else:
        qs = GoodPractice.objects.filter(city_id__in=practices.official_city_ids(request.user)).order_by(
            "status", "-updated"
        )
        title = _("Your city's good practices")
    f = Filters(request)
    page = f.page(qs.select_related("city"))
    names = dict(practices.area_choices(lang))
    for p in page:
        p.area_names = [names.get(a, a) for a in p.areas]
    return render(
        request,
        "learning/practice_own.html",
        {"page": page, "filters": f, "title": title, "may_add": _editable_cities(request.user).exists()},  # type: ignore[attr-defined]
    )


@secretariat_only
def practice_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """Every practice in every state (the secretariat's table)."""
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    columns = [
        "id", "city", "country", "title", "language", "start", "end", "areas", "target_groups", "purpose",
        "actions", "results", "evidence", "cost", "contact", "contact_email", "links", "host_visits", "status",
        "comment", "submitted", "published", "demo",
    ]  # fmt: skip
    rows = [
        [
            p.pk,
            p.city.slug,
            p.city.country_code,
            p.title,
            p.language,
            p.start,
            p.end,
            " ".join(p.areas),
            " ".join(p.target_groups),
            p.purpose,
            p.actions,
            p.results,
            p.evidence,
            p.cost,
            p.contact,
            p.contact_email,
            " ".join(p.links),
            p.host_visits,
            p.status,
            p.comment,
            p.submitted.isoformat() if p.submitted else "",
            p.published.isoformat() if p.published else "",
            p.is_demo,
        ]  # fmt: skip
        for p in GoodPractice.objects.select_related("city").order_by("pk")
    ]
    return exports.table_response(columns, rows, fmt, "good-practices")
