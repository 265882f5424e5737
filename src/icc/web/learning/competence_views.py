"""Intercultural-competence pages: a city's training log, staff per department, the share of staff trained and the
self-assessment results; the self-assessment form; the secretariat's download of every session. Rules and
summaries: :mod:`.competence`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from icc.web.accounts.permissions import AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name

from . import competence, exports
from .listing import Filters, form_page
from .models import DepartmentStaff, SelfAssessment, TrainingSession

FIRST_YEAR = 1990


def _now() -> datetime:
    return datetime.now(UTC)


def _page_of(city: City, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"city": city.slug, **extra}.items())
    return f"{reverse('learning:competence')}?{query}"


# --- forms --------------------------------------------------------------------------------------------------


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held", "title", "department", "participants", "hours"]
        widgets = {"held": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["department"].widget.attrs["list"] = "departments"
        self.fields["held"].help_text = gettext_lazy("The day of the session (the first day if it lasted longer)")
        self.fields["participants"].help_text = gettext_lazy("City staff who took part")

    def clean_held(self) -> date:
        held: date = self.cleaned_data["held"]
        if held > self.today:
            raise forms.ValidationError(_("The date is in the future: record a session once it has taken place."))
        if held.year < FIRST_YEAR:
            raise forms.ValidationError(_("Give a date in %(year)d or later.") % {"year": FIRST_YEAR})
        return held

    def clean_department(self) -> str:
        return competence.clean_department(self.cleaned_data["department"])

    def clean_participants(self) -> int:
        n: int = self.cleaned_data["participants"]
        if n < 1:
            raise forms.ValidationError(_("A session has at least one participant."))
        return n

    def clean_hours(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours"]
        if hours <= 0:
            raise forms.ValidationError(_("Give the length of the session in hours (more than 0)."))
        return hours


class StaffForm(forms.ModelForm):
    class Meta:
        model = DepartmentStaff
        fields = ["department", "year", "staff"]

    def __init__(self, *args: Any, city: City, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city, self.today = city, today
        self.fields["department"].widget.attrs["list"] = "departments"
        self.fields["staff"].help_text = gettext_lazy("The number of people working in the department that year")

    def clean_department(self) -> str:
        return competence.clean_department(self.cleaned_data["department"])

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= self.today.year + 1:
            raise forms.ValidationError(
                _("Give a year between %(low)d and %(high)d.") % {"low": FIRST_YEAR, "high": self.today.year + 1}
            )
        return year

    def clean_staff(self) -> int:
        staff: int = self.cleaned_data["staff"]
        if staff < 1:
            raise forms.ValidationError(_("A department has at least one member of staff."))
        return staff

    def clean(self) -> dict:
        data = super().clean() or {}
        department, year = data.get("department"), data.get("year")
        if department and year:
            key = competence.department_key(department)
            others = DepartmentStaff.objects.filter(city=self.city, year=year).exclude(pk=self.instance.pk)
            if any(competence.department_key(o.department) == key for o in others):
                self.add_error(
                    "department",
                    _("%(department)s already has a staff count for %(year)d: edit that one instead.")
                    % {"department": department, "year": year},
                )
        return data


class AssessmentForm(forms.Form):
    """The self-assessment: the city (when the official has several), the department, before or after, and one
    answer on the scale per statement, every one required with a message that names the statement."""

    city = forms.ChoiceField(label=gettext_lazy("City"))
    department = forms.CharField(label=gettext_lazy("Your department"), max_length=120)
    phase = forms.ChoiceField(
        label=gettext_lazy("When do you take it?"), choices=SelfAssessment.Phase.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, cities: list[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cities = {c.slug: c for c in cities}
        city: Any = self.fields["city"]
        city.choices = [(c.slug, city_name(c)) for c in cities]
        if len(cities) == 1:
            city.widget = forms.HiddenInput()
            self.initial.setdefault("city", cities[0].slug)
        self.fields["department"].widget.attrs["list"] = "departments"
        self.fields["department"].error_messages["required"] = _("Name your department.")
        self.fields["phase"].error_messages["required"] = _("Say whether you take it before or after the training.")
        for s in competence.STATEMENTS:
            self.fields[s.id] = forms.TypedChoiceField(
                label=str(s.text),
                choices=[(str(v), f"{v} — {label}") for v, label in competence.SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer from 1 to 5 for: %(statement)s") % {"statement": s.text},
                    "invalid_choice": _("Choose an answer from 1 to 5 for: %(statement)s") % {"statement": s.text},
                },
            )

    def statement_groups(self) -> list[tuple[object, list[forms.BoundField]]]:
        return [(label, [self[s.id] for s in items]) for _d, label, items in competence.statements_by_dimension()]

    def missing(self) -> int:
        return sum(1 for s in competence.STATEMENTS if s.id in self.errors)


# --- pages --------------------------------------------------------------------------------------------------


def _chosen_city(request: AuthedRequest, f: Filters) -> tuple[City | None, list[City]]:
    """The city the page is about: ``?city=`` among the user's cities (403 for an existing city outside them),
    else the user's first city; for the secretariat none until one is chosen."""
    cities = sorted(competence.viewable_cities(request.user), key=city_name)
    slug = request.GET.get("city", "").strip()
    if slug and slug not in {c.slug for c in cities} and City.objects.filter(slug=slug).exists():
        raise PermissionDenied(_("You may see the training of your own cities only."))
    slug = f.choice("city", [(c.slug, c.name) for c in cities], _("city"))
    if not slug and cities and not is_secretariat(request.user):
        slug = cities[0].slug
        f.chosen["city"] = slug
    return next((c for c in cities if c.slug == slug), None), cities


@login_required
def competence_page(request: AuthedRequest) -> HttpResponse:
    """A city's training log, staff per department, share trained in a year and self-assessment results; for the
    secretariat without a chosen city, the network's overview."""
    f = Filters(request)
    city, cities = _chosen_city(request, f)
    if not cities:
        raise PermissionDenied(_("Your account is linked to no city: ask the secretariat to link it to yours."))
    context: dict[str, Any] = {"filters": f, "city": city, "cities": cities}
    if city is None:
        year_choices = sorted({d.year for d in TrainingSession.objects.values_list("held", flat=True)}, reverse=True)
        chosen = f.choice("year", [(str(y), str(y)) for y in year_choices], _("year"))
        context.update(
            {
                "overview": competence.network_overview(int(chosen) if chosen else None),
                "years": year_choices,
                "year": int(chosen) if chosen else None,
                "dimensions": competence.DIMENSIONS,
            }
        )
        return render(request, "learning/competence_network.html", context, status=400 if f.problems else 200)
    years = competence.years(city)
    held = [y for y in years if TrainingSession.objects.filter(city=city, held__year=y).exists()]
    default_year = held[0] if held else (years[0] if years else None)
    year_text = f.choice("year", [(str(y), str(y)) for y in years], _("year"))
    year = int(year_text) if year_text else default_year
    sessions = TrainingSession.objects.filter(city=city).order_by("-held", "-pk")
    staff = DepartmentStaff.objects.filter(city=city).order_by("-year", "department")
    share = competence.share_rows(city, year) if year else []
    summary = competence.assessment_summary(city)
    context.update(
        {
            "page": f.page(sessions),
            "staff": staff,
            "years": years,
            "year": year,
            "share": share,
            "any_capped": any(r.capped for r in share),
            "summary": summary,
            "may_edit": competence.may_edit(request.user, city),
            "may_take": competence.assessment_cities(request.user).filter(pk=city.pk).exists(),
            "any_demo": sessions.filter(is_demo=True).exists()
            or staff.filter(is_demo=True).exists()
            or SelfAssessment.objects.filter(city=city, is_demo=True).exists(),
            "done": request.GET.get("done", ""),
        }
    )
    return render(request, "learning/competence.html", context, status=400 if f.problems else 200)


def _editable_city(request: AuthedRequest, slug: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not competence.may_edit(request.user, city):
        raise PermissionDenied(_("Only the city's officials and the secretariat keep its training records."))
    return city


def _saved(request: AuthedRequest, city: City, form: forms.ModelForm, done: str) -> HttpResponse | None:
    """Save a valid posted form for ``city`` and return the redirect to its page; ``None`` to show the form."""
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.city = city
        record.save()
        return redirect(_page_of(city, done=done))
    return None


def _form_page(
    request: AuthedRequest, city: City, form: forms.BaseForm, title: str, record: object = None
) -> HttpResponse:
    return form_page(
        request,
        "learning/competence_form.html",
        {"form": form, "city": city, "title": title, "record": record, "departments": competence.departments(city)},
    )


@login_required
def session_new(request: AuthedRequest, slug: str) -> HttpResponse:
    city = _editable_city(request, slug)
    form = SessionForm(request.POST or None, today=_now().date())
    return _saved(request, city, form, "session") or _form_page(request, city, form, _("Record a training session"))


@login_required
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("city"), pk=pk)
    city = _editable_city(request, session.city.slug)
    form = SessionForm(request.POST or None, instance=session, today=_now().date())
    return _saved(request, city, form, "session") or _form_page(
        request, city, form, _("Edit a training session"), session
    )


@login_required
def staff_new(request: AuthedRequest, slug: str) -> HttpResponse:
    city = _editable_city(request, slug)
    form = StaffForm(request.POST or None, city=city, today=_now().date())
    return _saved(request, city, form, "staff") or _form_page(request, city, form, _("Record a department's staff"))


@login_required
def staff_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(DepartmentStaff.objects.select_related("city"), pk=pk)
    city = _editable_city(request, row.city.slug)
    form = StaffForm(request.POST or None, instance=row, city=city, today=_now().date())
    return _saved(request, city, form, "staff") or _form_page(request, city, form, _("Edit a department's staff"), row)


def _delete(request: AuthedRequest, record: TrainingSession | DepartmentStaff, what: str) -> HttpResponse:
    city = _editable_city(request, record.city.slug)
    if request.method == "POST":
        record.delete()
        return redirect(_page_of(city, done="deleted"))
    return render(request, "learning/competence_delete.html", {"city": city, "record": record, "what": what})


@login_required
def session_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("city"), pk=pk)
    return _delete(request, session, "session")


@login_required
def staff_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(DepartmentStaff.objects.select_related("city"), pk=pk)
    return _delete(request, row, "staff")


@login_required
def self_assessment(request: AuthedRequest) -> HttpResponse:
    """An official's self-assessment before or after a training, stored for their city."""
    cities = list(competence.assessment_cities(request.user))
    if not cities:
        raise PermissionDenied(_("The self-assessment is taken by the officials of a member city."))
    initial_city = request.GET.get("city", "")
    form = AssessmentForm(
        request.POST or None,
        cities=cities,
        initial={"city": initial_city} if initial_city in {c.slug for c in cities} else None,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        city = form.cities[d["city"]]
        competence.store_assessment(
            request.user,
            city,
            d["department"],
            d["phase"],
            {s.id: d[s.id] for s in competence.STATEMENTS},
            _now(),
        )
        return redirect(_page_of(city, done="assessment"))
    chosen = form.cities.get(str(form["city"].value() or ""), cities[0])
    return form_page(
        request,
        "learning/competence_assessment.html",
        {"form": form, "city": chosen, "departments": competence.departments(chosen), "scale": competence.SCALE},
    )


@secretariat_only
def session_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """Every training session of every city (the secretariat's table)."""
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    columns = ["id", "city", "country", "date", "title", "department", "participants", "hours", "demo"]
    rows = [
        [
            s.pk,
            s.city.slug,
            s.city.country_code,
            s.held.isoformat(),
            s.title,
            s.department,
            s.participants,
            float(s.hours),
            s.is_demo,
        ]
        for s in TrainingSession.objects.select_related("city").order_by("city__slug", "held", "pk")
    ]
    return exports.table_response(columns, rows, fmt, "training-sessions")


urls = [
    path("competence/", competence_page, name="competence"),
    path("competence/self-assessment/", self_assessment, name="self_assessment"),
    path("competence/sessions/download.<str:fmt>", session_export, name="training_export"),
    path("competence/sessions/<int:pk>/edit/", session_edit, name="training_edit"),
    path("competence/sessions/<int:pk>/delete/", session_delete, name="training_delete"),
    path("competence/staff/<int:pk>/edit/", staff_edit, name="staff_edit"),
    path("competence/staff/<int:pk>/delete/", staff_delete, name="staff_delete"),
    path("competence/cities/<slug:slug>/sessions/new/", session_new, name="training_new"),
    path("competence/cities/<slug:slug>/staff/new/", staff_new, name="staff_new"),
]
