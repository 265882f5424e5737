"""The secretariat's pages over editions and results: open an edition (framework version, dates), invite cities,
close it, release its results (:mod:`.releasing`), and publish a validated response (:mod:`.publishing`).

Releasing asks for confirmation (how many responses are published and how many not yet, and whether the edition
becomes the public default) and can be undone. The rules live in :mod:`icc.web.questionnaire.inviting`,
:mod:`.releasing` and :mod:`.publishing`; these views parse, check and call them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from icc.data.members import name_key
from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.network.models import City, Edition, StoredFramework
from icc.web.network.templatetags.icc import city_name
from icc.web.questionnaire import audit
from icc.web.questionnaire import editions as editions_
from icc.web.questionnaire import permissions as perm
from icc.web.questionnaire.models import AuditEvent, Response
from icc.web.questionnaire.workflow import Refused

from . import open_answers, publishing, releasing
from .releasing import RELEASE_ACTIONS, NotAcknowledged, ReleaseRefused

MAX_ID = 2**63 - 1


class ISODateInput(forms.DateInput):
    """``<input type="date">``: browsers read and send ISO dates (2026-01-15) whatever the page language, so the
    value is always written ISO (a French ``15/01/2026`` would leave the field blank)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EditionForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=gettext_lazy("Framework version"), queryset=StoredFramework.objects.none())
    opens = forms.DateField(label=gettext_lazy("Opens on"), widget=ISODateInput())
    closes = forms.DateField(label=gettext_lazy("Closes on"), widget=ISODateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        frameworks = StoredFramework.objects.defer("definition").order_by("-framework_id", "-version")
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if Edition.objects.filter(year=year).exists():
            raise forms.ValidationError(_("An edition %(year)s already exists.") % {"year": year})
        return year

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", _("The closing date is before the opening date."))
        return data


@secretariat_only
def editions(request: AuthedRequest) -> HttpResponse:
    form = EditionForm(request.POST or None, initial={"year": date.today().year, "opens": date.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        e = editions_.open_edition(
            data["year"], data["framework"], data["opens"], data["closes"], request.user, datetime.now(UTC)
        )
        messages.success(request, _("Edition %(year)s is open. Invite the cities below.") % {"year": e.year})
        return redirect("results:edition", year=e.year)
    rows = Edition.objects.select_related("framework").defer("framework__definition").order_by("-year")
    return render(request, "questionnaire/editions.html", {"form": form, "editions": rows})


# --- the edition page ----------------------------------------------------------------------------------------------


def _edition_page(
    request: AuthedRequest, e: Edition, *, status: int = 200, problems: list[str] | None = None, confirm: str = ""
) -> HttpResponse:
    invited = set(e.responses.values_list("city_id", flat=True))
    return render(
        request,
        "questionnaire/edition.html",
        {
            "edition": e,
            "responses": sorted(e.responses.select_related("city"), key=lambda r: name_key(city_name(r.city))),
            "uninvited": sorted(
                City.objects.filter(is_member=True).exclude(pk__in=invited), key=lambda c: name_key(city_name(c))
            ),
            "summary": releasing.summary(e),
            "closing_warning": editions_.closing_warning(e) if e.status == Edition.Status.OPEN else "",
            "confirm": confirm,
            "problems": problems or [],
            "release_history": AuditEvent.objects.filter(edition=e, action__in=RELEASE_ACTIONS)
            .select_related("user")
            .order_by("at", "pk"),
        },
        status=status,
    )


def _edition(year: int) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("framework", "results_released_by").defer("framework__definition"), year=year
    )


@secretariat_only
def edition(request: AuthedRequest, year: int) -> HttpResponse:
    confirm = request.GET.get("confirm", "")
    return _edition_page(request, _edition(year), confirm=confirm if confirm in ("release", "unrelease") else "")


# --- inviting cities ------------------------------------------------------------------------------------------------


def _city_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """The city ids of the form, and the values that are not ids."""
    ids, bad = [], []
    for raw in values:
        text = raw.strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            ids.append(int(text))
        else:
            bad.append(raw)
    return ids, bad


@require_POST
@secretariat_only
def invite(request: AuthedRequest, year: int) -> HttpResponse:
    e = _edition(year)
    if e.status != Edition.Status.OPEN:
        return _edition_page(
            request,
            e,
            status=409,
            problems=[_("Edition %(year)s is closed; reopen it to invite cities.") % {"year": year}],
        )
    values = request.POST.getlist("city")
    ids, bad = _city_ids(values)
    problems = []
    if not values:
        problems.append(_("Tick at least one city to invite."))
    if bad:
        problems.append(
            _("city=%(values)s is not a city id: tick the cities in the list below.")
            % {"values": ", ".join(repr(v[:40]) for v in bad[:5])}
        )
    members = {c.pk: c for c in City.objects.filter(pk__in=ids, is_member=True)}
    unknown = [i for i in ids if i not in members]
    if unknown:
        problems.append(
            _("No member city has the id %(ids)s: tick the cities in the list below.")
            % {"ids": ", ".join(str(i) for i in unknown[:5])}
        )
    if problems:
        return _edition_page(request, e, status=400, problems=problems)
    try:
        created_n = editions_.invite(e, list(members.values()), request.user, datetime.now(UTC))
    except editions_.Closed:
        return _edition_page(
            request,
            e,
            status=409,
            problems=[_("Edition %(year)s is closed; reopen it to invite cities.") % {"year": year}],
        )
    already = len(members) - created_n
    text = ngettext("%(n)d city invited.", "%(n)d cities invited.", created_n) % {"n": created_n}
    if already:
        text += " " + ngettext("%(n)d was already invited.", "%(n)d were already invited.", already) % {"n": already}
    messages.success(request, text)
    return redirect("results:edition", year=year)


# --- edition state: open / closed, results released / not ---------------------------------------------------------


@require_POST
@secretariat_only
def set_status(request: AuthedRequest, year: int) -> HttpResponse:
    """Open or close the edition (``status=open|closed``), release or withdraw its results
    (``results=release|unrelease``, after the confirmation step: ``confirm=yes``), or open or close its answers
    in the open data (``answers=public|closed``)."""
    e = _edition(year)
    results = request.POST.get("results")
    if results is not None:
        return _set_release(request, e, results)
    answers = request.POST.get("answers")
    if answers is not None:
        return _set_answers_public(request, e, answers)
    status = request.POST.get("status")
    if status not in (Edition.Status.OPEN, Edition.Status.CLOSED):
        return _edition_page(
            request,
            e,
            status=400,
            problems=[_("status must be open or closed, or results release or unrelease.")],
        )
    e = editions_.set_status(e, status, request.user, datetime.now(UTC))
    messages.success(
        request, _("Edition %(year)s is now %(status)s.") % {"year": year, "status": e.get_status_display()}
    )
    return redirect("results:edition", year=year)


def _set_answers_public(request: AuthedRequest, e: Edition, answers: str) -> HttpResponse:
    if answers not in ("public", "closed"):
        return _edition_page(request, e, status=400, problems=[_("answers must be public or closed.")])
    public = answers == "public"
    if e.answers_public != public:  # a change: recorded with it
        with transaction.atomic():
            open_answers.set_answers_public(e, public)
            audit.record("answers_public" if public else "answers_closed", request.user, datetime.now(UTC), edition=e)
    if answers == "public":
        messages.success(
            request,
            _("The answers and points of the published responses of edition %(year)s are in the open data.")
            % {"year": e.year},
        )
    else:
        messages.success(request, _("The answers of edition %(year)s are out of the open data.") % {"year": e.year})
    return redirect("results:edition", year=e.year)


def _set_release(request: AuthedRequest, e: Edition, results: str) -> HttpResponse:
    if results not in ("release", "unrelease"):
        return _edition_page(request, e, status=400, problems=[_("results must be release or unrelease.")])
    if request.POST.get("confirm") != "yes":
        return redirect(reverse("results:edition", args=[e.year]) + f"?confirm={results}#release")
    try:
        if results == "release":
            acknowledged = request.POST.get("acknowledge") == "yes"
            done = releasing.release(e, request.user, datetime.now(UTC), acknowledged=acknowledged)
            messages.success(
                request,
                _("The results of edition %(year)s are released: they are public now.") % {"year": done.year},
            )
        else:
            done = releasing.unrelease(e, request.user, datetime.now(UTC))
            messages.success(
                request,
                _("The release of edition %(year)s is withdrawn: its published scores are provisional again.")
                % {"year": done.year},
            )
    except NotAcknowledged as refused:
        return _edition_page(request, _edition(e.year), status=400, problems=[str(refused)], confirm="release")
    except ReleaseRefused as refused:
        return _edition_page(request, _edition(e.year), status=409, problems=[str(refused)])
    return redirect("results:edition", year=e.year)


# --- publishing a validated response ------------------------------------------------------------------------------


@perm.response_view(perm.can_publish)
def publish(request: AuthedRequest, response: Response) -> HttpResponse:
    """GET: the scores and ranks that publishing will make public, and a confirmation; POST (confirmed): publish
    and rescore the edition in one transaction."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            publishing.publish(response, request.user, datetime.now(UTC), request.POST.get("comment", ""))
        except Refused as exc:
            messages.error(request, exc.message)
            return redirect("questionnaire:detail", response_id=response.pk)
        city, year = city_name(response.city), response.edition.year
        if Edition.objects.get(pk=response.edition_id).is_provisional:
            text = _(
                "Published: the scores of %(city)s are provisional until the results of edition %(year)s are "
                "released (shown only where edition %(year)s is asked for)."
            )
        else:
            text = _("Published: the scores of %(city)s are public.")
        messages.success(request, text % {"city": city, "year": year})
        return redirect("questionnaire:detail", response_id=response.pk)
    rows = publishing.preview(response, (get_language() or "en")[:2])
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "questionnaire/publish.html",
        {"response": response, "rows": rows, "unconfirmed": request.method == "POST"},
        status=status,
    )
