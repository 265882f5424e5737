"""Joint campaigns (the network's common weeks and days, each city's actions and reach) and the multi-level
governance group (national and regional bodies with their cities and events). Public pages; the secretariat
creates and edits campaigns and bodies; a city's officials keep their own city's row of a campaign, never
another city's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.data.members import localized_country_name
from icc.web.accounts.permissions import AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name
from icc.web.results import queries

from .listing import Filters, form_page
from .models import Campaign, CampaignCity, Event, GovernanceBody
from .practices import official_city_ids

MAX_REACH = 100_000_000


def _lang() -> str:
    from django.utils.translation import get_language

    return (get_language() or "en")[:2]


# --- campaigns ----------------------------------------------------------------------------------------------


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "message", "starts", "ends", "materials"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 4}),
            "starts": forms.DateInput(attrs={"type": "date"}),
            "ends": forms.DateInput(attrs={"type": "date"}),
            "materials": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].help_text = gettext_lazy("The campaign's common message, as the cities use it")
        self.fields["ends"].help_text = gettext_lazy("Empty for a one-day campaign")
        self.fields["materials"].help_text = gettext_lazy(
            "What the cities may use: posters, videos, guides (one per line, with its address)"
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error("ends", _("The campaign ends before it starts: give an end on or after the start."))
        return data


def participation_cities(user: Any) -> list[City]:
    """The cities whose row of a campaign ``user`` keeps: an official's own cities; every member for the
    secretariat."""
    if is_secretariat(user):
        return list(queries.in_name_order(City.objects.filter(is_member=True), _lang()))
    return list(queries.in_name_order(City.objects.filter(pk__in=official_city_ids(user)), _lang()))


def reach_problem(raw: str) -> tuple[int | None, str | None]:
    """The number of people reached typed in a form (empty: not known), or the message that says what to change."""
    text = raw.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "").replace(",", "")
    if not text:
        return None, None
    if not text.isdigit():
        return None, _("Give the number of people reached as a whole number, 0 or more (you gave “%(value)s”).") % {
            "value": raw.strip()[:20]
        }
    value = int(text)
    if value > MAX_REACH:
        return None, _("%(value)s people is more than a city's campaign can reach: check the number.") % {
            "value": raw.strip()[:20]
        }
    return value, None


def campaign_list(request: HttpRequest) -> HttpResponse:
    f = Filters(request)
    qs = Campaign.objects.annotate(n_cities=Count("cities"), reach=Sum("cities__reach")).order_by("-starts", "title")
    return render(
        request,
        "learning/campaigns.html",
        {"page": f.page(qs), "filters": f, "any_demo": Campaign.objects.filter(is_demo=True).exists()},
    )


def _campaign_page(
    request: HttpRequest, campaign: Campaign, status: int = 200, problems: list[str] | None = None, posted: Any = None
) -> HttpResponse:
    rows = sorted(campaign.cities.select_related("city"), key=lambda r: city_name(r.city))
    own = participation_cities(request.user) if request.user.is_authenticated else []
    by_city = {r.city_id: r for r in rows}
    own_rows = [(c, by_city.get(c.pk)) for c in own] if not is_secretariat(request.user) else []
    return render(
        request,
        "learning/campaign.html",
        {
            "c": campaign,
            "rows": rows,
            "total": sum(r.reach or 0 for r in rows),
            "unknown": sum(1 for r in rows if r.reach is None),
            "own_rows": own_rows,
            "secretariat_cities": own if is_secretariat(request.user) else [],
            "own_ids": {c.pk for c in own},
            "problems": problems or [],
            "posted": posted or {},
        },
        status=status,
    )


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    return _campaign_page(request, campaign)


@secretariat_only
def campaign_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk) if pk is not None else Campaign()
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        return redirect(f"/campaigns/{saved.pk}/?done=saved")
    return form_page(request, "learning/campaign_form.html", {"form": form, "c": campaign})


@login_required
def campaign_participation(request: AuthedRequest, pk: int) -> HttpResponse:
    """A city joins a campaign, edits its row (actions, reach) or leaves it (POST): only the city's officials
    (and the secretariat) may."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if request.method != "POST":
        return redirect("learning:campaign", pk=pk)
    slug = request.POST.get("city", "")
    city = get_object_or_404(City, slug=slug)
    if city.pk not in {c.pk for c in participation_cities(request.user)}:
        raise PermissionDenied(_("Only the city's officials keep the city's row of a campaign."))
    if request.POST.get("action") == "leave":
        CampaignCity.objects.filter(campaign=campaign, city=city).delete()
        return redirect(f"/campaigns/{pk}/?done=left#participants")
    actions = request.POST.get("actions", "").strip()
    reach, problem = reach_problem(request.POST.get("reach", ""))
    problems = []
    if not actions:
        problems.append(_("Say what %(city)s does in the campaign.") % {"city": city_name(city)})
    if problem:
        problems.append(problem)
    if problems:
        return _campaign_page(request, campaign, status=400, problems=problems, posted=request.POST)
    try:
        with transaction.atomic():
            CampaignCity.objects.update_or_create(
                campaign=campaign, city=city, defaults={"actions": actions[:5000], "reach": reach}
            )
    except IntegrityError:  # two officials of the city joined at once: the other row stands, save over it
        CampaignCity.objects.filter(campaign=campaign, city=city).update(actions=actions[:5000], reach=reach)
    return redirect(f"/campaigns/{pk}/?done=joined#city-{city.slug}")


# --- multi-level governance --------------------------------------------------------------------------------


class CityChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{city_name(obj)} ({localized_country_name(obj.country_code, _lang())})"


class EventChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.starts:%Y-%m-%d})"


class BodyForm(forms.ModelForm):
    cities = CityChoices(
        label=gettext_lazy("Cities it works with"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    events = EventChoices(
        label=gettext_lazy("Events it took part in"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GovernanceBody
        fields = ["name", "level", "country_code", "description", "cities", "events"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"country_code": gettext_lazy("Country (ISO code, two letters)")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["cities"].queryset = City.objects.filter(is_member=True).order_by("country_code", "name")
        fields["events"].queryset = Event.objects.order_by("-starts")
        fields["country_code"].help_text = _("e.g. NO, ES, PL")

    def clean_country_code(self) -> str:
        import pycountry

        code = self.cleaned_data["country_code"].strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise forms.ValidationError(_("%(code)s is not an ISO country code (e.g. FR, ES, NO).") % {"code": code})
        return code


def governance_list(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    f = Filters(request)
    bodies = GovernanceBody.objects.all()
    level = f.choice("level", GovernanceBody.Level.choices, _("level"))
    countries = sorted(
        {(c, localized_country_name(c, lang)) for c in bodies.values_list("country_code", flat=True)},
        key=lambda c: c[1],
    )
    country = f.choice("country", countries, _("country"))
    if level:
        bodies = bodies.filter(level=level)
    if country:
        bodies = bodies.filter(country_code=country)
    page = f.page(bodies.prefetch_related("cities", "events").order_by("name"))
    for b in page:
        b.city_list = sorted(b.cities.all(), key=city_name)
        b.event_list = sorted(b.events.all(), key=lambda e: e.starts, reverse=True)
    return render(
        request,
        "learning/governance.html",
        {
            "page": page,
            "filters": f,
            "levels": GovernanceBody.Level.choices,
            "countries": countries,
            "any_demo": GovernanceBody.objects.filter(is_demo=True).exists(),
        },
        status=400 if f.problems else 200,
    )


@secretariat_only
def governance_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, pk=pk) if pk is not None else GovernanceBody()
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        return redirect(f"/governance/?done=saved#body-{saved.pk}")
    return form_page(request, "learning/governance_form.html", {"form": form, "body": body})


urls = [
    path("campaigns/", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_edit, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/participation/", campaign_participation, name="campaign_participation"),
    path("governance/", governance_list, name="governance"),
    path("governance/new/", governance_edit, name="governance_new"),
    path("governance/<int:pk>/edit/", governance_edit, name="governance_edit"),
]
