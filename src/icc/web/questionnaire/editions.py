"""The secretariat opens an edition (framework version, dates), invites cities and closes it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.network.models import City, Edition, Framework

from .models import Response, ResponseEvent


class EditionForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=gettext_lazy("Framework version"), queryset=Framework.objects.none())
    opens = forms.DateField(label=gettext_lazy("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes = forms.DateField(label=gettext_lazy("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        frameworks = Framework.objects.defer("definition").order_by("-framework_id", "-version")
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
        e = Edition.objects.create(
            year=form.cleaned_data["year"],
            framework=form.cleaned_data["framework"],
            opens=form.cleaned_data["opens"],
            closes=form.cleaned_data["closes"],
            status=Edition.Status.OPEN,
        )
        messages.success(request, _("Edition %(year)s is open. Invite the cities below.") % {"year": e.year})
        return redirect("questionnaire:edition", year=e.year)
    rows = Edition.objects.select_related("framework").defer("framework__definition").order_by("-year")
    return render(request, "questionnaire/editions.html", {"form": form, "editions": rows})


@secretariat_only
def edition(request: AuthedRequest, year: int) -> HttpResponse:
    e = get_object_or_404(Edition.objects.select_related("framework").defer("framework__definition"), year=year)
    invited = set(e.responses.values_list("city_id", flat=True))
    return render(
        request,
        "questionnaire/edition.html",
        {
            "edition": e,
            "responses": e.responses.select_related("city").order_by("city__name"),
            "uninvited": City.objects.filter(is_member=True).exclude(pk__in=invited).order_by("name"),
        },
    )


@require_POST
@secretariat_only
def invite(request: AuthedRequest, year: int) -> HttpResponse:
    e = get_object_or_404(Edition, year=year)
    if e.status != Edition.Status.OPEN:
        messages.error(request, _("Edition %(year)s is closed; reopen it to invite cities.") % {"year": year})
        return redirect("questionnaire:edition", year=year)
    ids = request.POST.getlist("city")
    stamp = datetime.now(UTC)
    with transaction.atomic():
        for city in City.objects.filter(pk__in=ids):
            r, created = Response.objects.get_or_create(city=city, edition=e)
            if created:
                ResponseEvent.objects.create(
                    response=r, from_status="", to_status=r.status, user=request.user, at=stamp, comment="invited"
                )
    messages.success(request, _("%(n)d cities invited.") % {"n": len(ids)})
    return redirect("questionnaire:edition", year=year)


@require_POST
@secretariat_only
def set_status(request: AuthedRequest, year: int) -> HttpResponse:
    e = get_object_or_404(Edition, year=year)
    status = request.POST.get("status")
    if status not in (Edition.Status.OPEN, Edition.Status.CLOSED):
        return HttpResponse("status must be open or closed", status=400)
    e.status = status
    e.save(update_fields=["status"])
    messages.success(
        request, _("Edition %(year)s is now %(status)s.") % {"year": year, "status": e.get_status_display()}
    )
    return redirect("questionnaire:edition", year=year)
