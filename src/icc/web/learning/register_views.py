"""The member register, a city's register page, the national networks and the secretariat's board of candidates.
Contact details (coordinators) are shown to signed-in members only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from icc.data.members import localized_country_name, slugify
from icc.engine import INDEX_CORE
from icc.web.accounts.models import CityAssignment, Role, User
from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.network.models import City, CityFact, Membership, NationalNetwork
from icc.web.network.templatetags.icc import city_name
from icc.web.results import queries

from . import accession, exports, practices
from .listing import Filters, form_page
from .models import Accession, GoodPractice, StudyVisit


def _lang() -> str:
    return (get_language() or "en")[:2]


def coordinators(city_ids: list[int]) -> dict[int, list[User]]:
    """Each city's ICC coordinators (officials marked coordinator), by city id."""
    out: dict[int, list[User]] = {}
    for a in CityAssignment.objects.filter(city_id__in=city_ids, coordinator=True).select_related("user"):
        if a.user.is_active:
            out.setdefault(a.city_id, []).append(a.user)
    return out


def _register_rows(request: HttpRequest) -> tuple[Filters, list[City]]:
    lang = _lang()
    f = Filters(request)
    members = City.objects.filter(is_member=True).select_related("national_network")
    countries = sorted(
        {(c, localized_country_name(c, lang)) for c in members.values_list("country_code", flat=True)},
        key=lambda c: c[1],
    )
    country = f.choice("country", countries, _("country"))
    networks = [(n.slug, n.name) for n in NationalNetwork.objects.all()]
    network = f.choice("network", networks, _("national network"))
    membership = f.choice("membership", Membership.choices, _("membership type"))
    if country:
        members = members.filter(country_code=country)
    if network:
        members = members.filter(national_network__slug=network)
    if membership:
        members = members.filter(membership=membership)
    members = members.annotate(
        n_practices=Count("practices", filter=Q(practices__status=GoodPractice.Status.PUBLISHED))
    )
    f.options = {"countries": countries, "networks": networks, "memberships": Membership.choices}  # type: ignore[attr-defined]
    return f, queries.in_name_order(members, lang)


def register(request: HttpRequest) -> HttpResponse:
    f, rows = _register_rows(request)
    page = f.page(rows, per_page=50)
    return render(
        request,
        "learning/register.html",
        {
            "page": page,
            "filters": f,
            "options": f.options,  # type: ignore[attr-defined]
            "any_demo": City.objects.filter(is_member=True, membership_is_demo=True).exists(),
        },
        status=400 if f.problems else 200,
    )


@secretariat_only
def register_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    _f, rows = _register_rows(request)
    contacts = coordinators([c.pk for c in rows])
    columns = [
        "city", "name", "country", "membership", "national_network", "joined", "languages", "hosts_visits",
        "coordinators", "coordinator_emails", "published_practices", "membership_is_demo",
    ]  # fmt: skip
    table = [
        [
            c.slug,
            c.name,
            c.country_code,
            c.membership,
            c.national_network.slug if c.national_network else "",
            c.joined.isoformat() if c.joined else "",
            c.languages,
            c.hosts_visits,
            "; ".join(u.get_full_name() or u.username for u in contacts.get(c.pk, [])),
            "; ".join(u.email for u in contacts.get(c.pk, []) if u.email),
            getattr(c, "n_practices", 0),
            c.membership_is_demo,
        ]  # fmt: skip
        for c in rows
    ]
    return exports.table_response(columns, table, fmt, "member-register")


def city_register(request: HttpRequest, slug: str) -> HttpResponse:
    """A city's entry in the register: membership, coordinator (signed-in members), facts with year and source,
    editions, good practices and study visits."""
    city = get_object_or_404(City.objects.select_related("national_network"), slug=slug)
    if not city.is_member and not request.user.is_authenticated:
        return render(request, "404.html", {"request_path": request.path}, status=404)
    editions = (
        queries.public_scores()
        .filter(city=city, item=INDEX_CORE)
        .select_related("edition", "framework")
        .order_by("-edition__year")
    )
    visits = StudyVisit.objects.none()
    if request.user.is_authenticated:
        visits = StudyVisit.objects.filter(Q(visitor=city) | Q(host=city)).select_related("visitor", "host")
    lang = _lang()
    own = practices.city_practices(city, request.user).order_by("-published", "title")
    names = dict(practices.area_choices(lang))
    for p in own:
        p.area_names = [names.get(a, a) for a in p.areas]  # type: ignore[attr-defined]
    return render(
        request,
        "learning/city_register.html",
        {
            "city": city,
            "coordinators": coordinators([city.pk]).get(city.pk, []) if request.user.is_authenticated else [],
            "facts": CityFact.objects.filter(city=city).order_by("kind", "-year"),
            "editions": editions,
            "practices": own,
            "visits": visits[:20],
            "accession": Accession.objects.filter(city=city).first(),
            "is_demo": city.membership_is_demo or any(s.is_demo for s in editions),
            "may_edit": may_edit_membership(request.user, city)[0],
        },
    )


class MembershipForm(forms.ModelForm):
    """What the secretariat records of a member (type, network, join date) and the city's coordinator of its
    hosting (working languages, willing to host study visits)."""

    class Meta:
        model = City
        fields = ["membership", "national_network", "joined", "languages", "hosts_visits"]
        widgets = {"joined": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, secretariat: bool, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not secretariat:
            for name in ("membership", "national_network", "joined"):
                del self.fields[name]

    def clean_languages(self) -> str:
        import pycountry

        codes = [c.strip().lower() for c in self.cleaned_data["languages"].split(",") if c.strip()]
        for code in codes:
            if len(code) != 2 or pycountry.languages.get(alpha_2=code) is None:
                raise forms.ValidationError(
                    _("%(code)s is not a two-letter ISO 639-1 language code (e.g. en, fr, es).") % {"code": code}
                )
        return ",".join(dict.fromkeys(codes))


def may_edit_membership(user, city: City) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """(may edit the hosting details, may edit the membership details) of ``city``."""
    from .visits import coordinates

    secretariat = bool(getattr(user, "is_secretariat", False))
    return secretariat or coordinates(user, city.pk), secretariat


@login_required
def city_membership(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a city's membership details (secretariat) or hosting details (its coordinator)."""
    city = get_object_or_404(City, slug=slug)
    hosting, secretariat = may_edit_membership(request.user, city)
    if not hosting:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the city's coordinator and the secretariat change these details."))
    form = MembershipForm(request.POST or None, instance=city, secretariat=secretariat)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(f"/network/cities/{city.slug}/?saved=1")
    return form_page(request, "learning/city_membership.html", {"city": city, "form": form})


def network_list(request: HttpRequest) -> HttpResponse:
    networks = NationalNetwork.objects.annotate(n=Count("cities", filter=Q(cities__is_member=True)))
    return render(request, "learning/networks.html", {"networks": networks})


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = get_object_or_404(NationalNetwork, slug=slug)
    cities = queries.in_name_order(network.cities.filter(is_member=True), _lang())
    return render(request, "learning/network.html", {"network": network, "cities": cities, "is_demo": network.is_demo})


# --- candidates ----------------------------------------------------------------------------------------------


class CandidateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("City"), max_length=120)
    country_code = forms.CharField(
        label=gettext_lazy("Country (ISO code, two letters)"), min_length=2, max_length=2, help_text="e.g. FR, ES"
    )
    requested = forms.DateField(label=gettext_lazy("Request received"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_requested(self) -> object:
        requested = self.cleaned_data["requested"]
        if requested > datetime.now(UTC).date():
            raise forms.ValidationError(_("The request cannot be received in the future: give the date it came in."))
        return requested

    def clean_country_code(self) -> str:
        import pycountry

        code = self.cleaned_data["country_code"].upper()
        if pycountry.countries.get(alpha_2=code) is None:
            raise forms.ValidationError(_("%(code)s is not an ISO country code (e.g. FR, ES, NO).") % {"code": code})
        return code

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("name") and City.objects.filter(slug=slugify(data["name"])).exists():
            self.add_error("name", _("A city with this name is already in the register."))
        return data


class AccessionForm(forms.ModelForm):
    class Meta:
        model = Accession
        fields = [
            "stage", "owner", "next_step", "next_step_due", "requested", "letter", "questionnaire", "expert_visit",
            "member_since", "notes",
        ]  # fmt: skip
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ["next_step_due", "requested", "letter", "questionnaire", "expert_visit", "member_since"]
        } | {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.empty_label = _("nobody yet")
        owner.queryset = User.objects.filter(Q(role=Role.SECRETARIAT) | Q(is_superuser=True))

    def clean(self) -> dict:
        data = super().clean() or {}
        if "stage" in data:
            for problem in accession.check_dates(data, data["stage"]):
                self.add_error(None, problem)
        return data


@secretariat_only
def candidates(request: AuthedRequest) -> HttpResponse:
    """The board of candidates: one column per stage, each card with its dates, owner and next step."""
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from icc.data.members import country_name

        d = form.cleaned_data
        city = City.objects.create(
            slug=slugify(d["name"]),
            name=d["name"],
            name_as_listed=d["name"],
            country_code=d["country_code"],
            country_name=country_name(d["country_code"]),
            is_member=False,
        )
        a = Accession.objects.create(
            city=city, requested=d["requested"], owner=request.user, next_step=_("Ask for the letter of intent")
        )
        return redirect("learning:candidate", pk=a.pk)
    board = Accession.objects.select_related("city", "owner").exclude(stage=Accession.Stage.WITHDRAWN)
    columns = [(s, s.label, [a for a in board if a.stage == s]) for s in accession.ORDER]
    return render(
        request,
        "learning/candidates.html",
        {
            "columns": columns,
            "form": form,
            "withdrawn": Accession.objects.filter(stage=Accession.Stage.WITHDRAWN).select_related("city"),
            "today": datetime.now(UTC).date(),
        },
        status=400 if request.method == "POST" else 200,
    )


@secretariat_only
def candidate(request: AuthedRequest, pk: int) -> HttpResponse:
    a = get_object_or_404(Accession.objects.select_related("city"), pk=pk)
    form = AccessionForm(request.POST or None, instance=a)
    problems = []
    if request.method == "POST" and form.is_valid():
        revision = request.POST.get("revision", "")
        try:
            accession.save(a.pk, {k: form.cleaned_data[k] for k in AccessionForm.Meta.fields}, int(revision or -1))
        except accession.Refused as exc:
            problems.append(str(exc))
        else:
            return redirect(f"{request.path}?saved=1")
    a.refresh_from_db()
    return form_page(
        request,
        "learning/candidate.html",
        {"a": a, "form": form, "steps": accession.steps(a), "problems": problems, "name": city_name(a.city)},
    )
