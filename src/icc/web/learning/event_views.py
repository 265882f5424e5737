"""Events of the network (coordinators' meetings, academies, workshops, study visits, multi-level governance
meetings, trainings): the public programme, registration of officials and experts, the secretariat's forms,
attendance, materials and downloads.

The rules are the functions under "rules" (:func:`closed_because`, :func:`register`, :func:`cancel`,
:func:`record_attendance`); the views parse, check permission, call one of them and render.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import BooleanField, Case, Count, DateField, F, Q, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from icc.web.accounts.models import Role, User
from icc.web.accounts.permissions import AnyUser, AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name
from icc.web.questionnaire.evidence import keep_extension, problem_with

from . import exports, practices
from .listing import Filters, form_page
from .models import Event, EventMaterial, Registration

MAX_MATERIALS = 20


def _lang() -> str:
    return (get_language() or "en")[:2]


def _now() -> datetime:
    return timezone.now()


def _today() -> date:
    return timezone.localdate()


# --- rules ----------------------------------------------------------------------------------------------------


class Refused(Exception):
    """A registration or attendance change that is not allowed now, with the reason for the user."""


def may_register(user: AnyUser) -> bool:
    """City officials and experts register for events; the secretariat organises them."""
    return bool(
        user.is_authenticated and getattr(user, "role", "") in (Role.OFFICIAL, Role.EXPERT) and not is_secretariat(user)
    )


def places_left(event: Event, registered: int) -> int | None:
    """The places still free (None: no limit)."""
    return None if event.capacity is None else max(0, event.capacity - registered)


def closed_because(event: Event, today: date) -> str | None:
    """Why registrations and cancellations are closed on ``today`` (translated), or None while they are open:
    they close when the event begins."""
    if event.ends < today:
        return _("This event has taken place; registration is closed.")
    if event.starts < today:
        return _("This event has begun; registration is closed.")
    return None


def _locked(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


@transaction.atomic
def register(event_id: int, user: User, city: City | None, now: datetime, today: date) -> Registration:
    """Register ``user`` (for ``city``) after locking the event: refused when it is full or has begun."""
    if not may_register(user):
        raise Refused(_("City officials and experts register for events; the secretariat organises them."))
    event = _locked(event_id)
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing is not None:
        return existing
    reason = closed_because(event, today)
    if reason:
        raise Refused(reason)
    left = places_left(event, event.registrations.count())
    if left == 0:
        raise Refused(
            ngettext(
                "The event is full: its %(n)d place is taken.",
                "The event is full: all %(n)d places are taken.",
                event.capacity or 0,
            )
            % {"n": event.capacity}
        )
    return Registration.objects.create(event=event, user=user, city=city, registered=now)


@transaction.atomic
def cancel(event_id: int, user: User, today: date) -> bool:
    """Cancel ``user``'s registration (True if there was one); refused once the event has begun."""
    event = _locked(event_id)
    found = Registration.objects.filter(event=event, user=user)
    if not found.exists():
        return False
    if closed_because(event, today):
        raise Refused(_("This event has begun: a registration can no longer be cancelled."))
    found.delete()
    return True


@transaction.atomic
def record_attendance(event_id: int, shown: Iterable[int], attended: Iterable[int], today: date) -> int:
    """Mark who came: each registration of ``shown`` (those the form listed) as attended when it is in
    ``attended``, else as absent. Refused before the event begins. Returns the number attending."""
    event = _locked(event_id)
    if event.starts > today:
        raise Refused(_("Attendance is recorded once the event has begun."))
    came = set(attended)
    n = 0
    for r in Registration.objects.filter(event=event, pk__in=set(shown)):
        r.attended = r.pk in came
        r.save(update_fields=["attended"])
        n += 1 if r.attended else 0
    return n


# --- forms ----------------------------------------------------------------------------------------------------


class CityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return city_name(obj)


class EventForm(forms.ModelForm):
    area_list = forms.MultipleChoiceField(
        label=gettext_lazy("Index areas"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "starts", "ends", "place", "host", "programme", "capacity"]
        field_classes = {"host": CityChoice}
        labels = {"host": gettext_lazy("Host city"), "capacity": gettext_lazy("Places")}
        help_texts = {
            "place": gettext_lazy("The city and the venue"),
            "capacity": gettext_lazy("Empty: no limit"),
        }
        widgets = {
            "starts": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "programme": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["area_list"].choices = areas
        fields["host"].queryset = City.objects.filter(is_member=True).order_by("name")
        fields["host"].empty_label = _("none")
        if self.instance.pk:
            self.initial.setdefault("area_list", self.instance.areas)

    def clean(self) -> dict:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error(
                "ends",
                _("The last day (%(ends)s) is before the first day (%(starts)s).")
                % {"ends": ends.isoformat(), "starts": starts.isoformat()},
            )
        capacity = data.get("capacity")
        if capacity is not None:
            registered = self.instance.registrations.count() if self.instance.pk else 0
            if capacity < 1:
                self.add_error("capacity", _("Give at least one place, or leave it empty for no limit."))
            elif capacity < registered:
                self.add_error(
                    "capacity",
                    ngettext(
                        "%(n)d person is registered already: give at least %(n)d place.",
                        "%(n)d people are registered already: give at least %(n)d places.",
                        registered,
                    )
                    % {"n": registered},
                )
        return data

    def apply(self) -> Event:
        event: Event = self.instance
        for name in self.Meta.fields:
            setattr(event, name, self.cleaned_data[name])
        event.areas = list(self.cleaned_data["area_list"])
        return event


# --- views ----------------------------------------------------------------------------------------------------


def _in_order(qs: QuerySet[Event], today: date) -> QuerySet[Event]:
    """Upcoming (and running) events first, soonest first; then past ones, latest first."""
    return qs.annotate(
        is_past=Case(When(ends__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField()),
        upcoming_start=Case(When(ends__gte=today, then=F("starts")), output_field=DateField()),
        past_start=Case(When(ends__lt=today, then=F("starts")), output_field=DateField()),
    ).order_by("is_past", F("upcoming_start").asc(nulls_last=True), F("past_start").desc(nulls_last=True), "pk")


def _with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        n_registered=Count("registrations", distinct=True),
        n_attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        n_recorded=Count("registrations", filter=Q(registrations__attended__isnull=False), distinct=True),
    )


def filtered_events(request: HttpRequest) -> tuple[Filters, QuerySet[Event], dict]:
    """The events the list's filters (kind, year, area) choose, upcoming first, with their counts."""
    f = Filters(request)
    areas = practices.area_choices(_lang())
    years = [(str(d.year), str(d.year)) for d in Event.objects.dates("starts", "year", order="DESC")]
    kind = f.choice("kind", Event.Kind.choices, _("kind"))
    year = f.choice("year", years, _("year"))
    area = f.choice("area", areas, _("area"))
    qs = Event.objects.select_related("host")
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts__year=int(year))
    if area:  # a JSON list: filtered here, so that every database can (SQLite has no JSON "contains")
        qs = qs.filter(pk__in=[pk for pk, chosen in qs.values_list("pk", "areas") if area in (chosen or [])])
    options = {"kinds": Event.Kind.choices, "years": years, "areas": areas}
    return f, _in_order(_with_counts(qs), _today()), options


def event_list(request: HttpRequest) -> HttpResponse:
    f, qs, options = filtered_events(request)
    page = f.page(qs)
    names = dict(options["areas"])
    for e in page:
        e.area_names = [names.get(a, a) for a in e.areas]
        e.left = places_left(e, e.n_registered)
    return render(
        request,
        "learning/events.html",
        {"page": page, "filters": f, "options": options, "any_demo": Event.objects.filter(is_demo=True).exists()},
        status=400 if f.problems else 200,
    )


def _detail(request: HttpRequest, event: Event, status: int = 200, **extra: object) -> HttpResponse:
    user = request.user
    today = _today()
    registrations = list(event.registrations.select_related("user", "city").order_by("registered", "pk"))
    for r in registrations:
        r.who = r.user.get_full_name() or r.user.username  # type: ignore[attr-defined]
    own = next((r for r in registrations if r.user_id == user.pk), None) if user.is_authenticated else None
    cities = City.objects.filter(pk__in=practices.official_city_ids(user)).order_by("name")
    context = {
        "e": event,
        "area_names": [(a, practices.area_name(a, _lang())) for a in event.areas],
        "materials": event.materials.order_by("uploaded", "pk"),
        "n_registered": len(registrations),
        "n_attended": sum(1 for r in registrations if r.attended),
        "n_recorded": sum(1 for r in registrations if r.attended is not None),
        "left": places_left(event, len(registrations)),
        "registrations": registrations if user.is_authenticated else [],
        "own": own,
        "may_register": may_register(user),
        "closed": closed_because(event, today),
        "cities": list(cities) if len(cities) > 1 else [],
        "secretariat": is_secretariat(user),
        "attendance_open": event.starts <= today,
        **extra,
    }
    return render(request, "learning/event.html", context, status=status)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Event.objects.select_related("host"), pk=pk))


@secretariat_only
def event_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """The secretariat's form for a new event or an edit."""
    event = get_object_or_404(Event, pk=pk) if pk is not None else Event()
    form = EventForm(request.POST or None, instance=event, areas=practices.area_choices(_lang()))
    if request.method == "POST" and form.is_valid():
        saved = form.apply()
        saved.save()
        return redirect(f"/events/{saved.pk}/?saved=1")
    return form_page(request, "learning/event_form.html", {"form": form, "e": event})


@login_required
def event_registration(request: AuthedRequest, pk: int) -> HttpResponse:
    """Register for an event or cancel the registration (POST ``action`` = register / cancel)."""
    event = get_object_or_404(Event.objects.select_related("host"), pk=pk)
    if request.method != "POST":
        return redirect("learning:event", pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "register":
            own = practices.official_city_ids(request.user)
            wanted = request.POST.get("city", "")
            city_id = int(wanted) if wanted.isdigit() and int(wanted) in own else min(own, default=None)
            city = City.objects.filter(pk=city_id).first() if city_id is not None else None
            register(pk, request.user, city, _now(), _today())
            return redirect(f"/events/{pk}/?registered=1")
        if action == "cancel":
            cancel(pk, request.user, _today())
            return redirect(f"/events/{pk}/?cancelled=1")
    except Refused as exc:
        return _detail(request, event, status=400, problems=[str(exc)])
    return _detail(request, event, status=400, problems=[_("Unknown action.")])


@secretariat_only
def event_attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    """The secretariat marks who attended (one checkbox per registration, POST)."""
    event = get_object_or_404(Event.objects.select_related("host"), pk=pk)
    if request.method != "POST":
        return redirect("learning:event", pk=pk)
    shown = [int(v) for v in request.POST.getlist("shown") if v.isdigit()]
    attended = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
    try:
        record_attendance(pk, shown, attended, _today())
    except Refused as exc:
        return _detail(request, event, status=400, problems=[str(exc)])
    return redirect(f"/events/{pk}/?attendance=1#attendance")


@secretariat_only
def event_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Attach a material (programme, slides, minutes) to an event, type checked by extension and content."""
    event = get_object_or_404(Event.objects.select_related("host"), pk=pk)
    if request.method != "POST":
        return redirect("learning:event", pk=pk)
    f = request.FILES.get("file")
    problem = problem_with(f)
    if problem is None and event.materials.count() >= MAX_MATERIALS:
        problem = _("An event has at most %(n)d materials; remove one first.") % {"n": MAX_MATERIALS}
    if problem is not None or f is None:
        return _detail(request, event, status=400, upload_problem=problem)
    name = keep_extension(f.name or "file", 80)
    material = EventMaterial(
        event=event,
        name=name,
        content_type=(f.content_type or "application/octet-stream")[:100],
        size=f.size or 0,
        uploaded=_now(),
    )
    material.file.save(name, f, save=False)
    material.save()
    return redirect(f"/events/{pk}/?uploaded=1#materials")


def event_material(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """A material of an event (public, as the programme is)."""
    material = EventMaterial.objects.filter(pk=file_id, event_id=pk).first()
    if material is None:
        raise Http404(_("No such file."))
    return FileResponse(
        material.file.open("rb"), as_attachment=True, filename=material.name, content_type=material.content_type
    )


@secretariat_only
def event_material_remove(request: AuthedRequest, pk: int, file_id: int) -> HttpResponse:
    material = get_object_or_404(EventMaterial, pk=file_id, event_id=pk)
    if request.method == "POST":
        material.file.delete(save=False)
        material.delete()
        return redirect(f"/events/{pk}/?removed=1#materials")
    return redirect("learning:event", pk=pk)


@secretariat_only
def event_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """The events the list's filters choose, one row each with its counts; with ``registrations=1`` one row per
    registration of those events."""
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    _f, events, _options = filtered_events(request)
    if request.GET.get("registrations"):
        columns = [
            "event", "title", "starts", "ends", "user", "name", "email", "role", "city", "registered", "attended",
            "demo",
        ]  # fmt: skip
        registrations = (
            Registration.objects.filter(event__in=events.values("pk"))
            .select_related("event", "user", "city")
            .order_by("event__starts", "event_id", "registered", "pk")
        )
        rows = [
            [
                r.event_id,
                r.event.title,
                r.event.starts.isoformat(),
                r.event.ends.isoformat(),
                r.user.username,
                r.user.get_full_name(),
                r.user.email,
                r.user.role,
                r.city.slug if r.city else "",
                r.registered.isoformat(),
                r.attended,
                r.event.is_demo,
            ]
            for r in registrations
        ]
        return exports.table_response(columns, rows, fmt, "event-registrations")
    columns = [
        "id", "kind", "title", "starts", "ends", "place", "host", "areas", "capacity", "registered", "attended",
        "places_left", "demo",
    ]  # fmt: skip
    rows = [
        [
            e.pk,
            e.kind,
            e.title,
            e.starts.isoformat(),
            e.ends.isoformat(),
            e.place,
            e.host.slug if e.host else "",
            " ".join(e.areas),
            e.capacity,
            getattr(e, "n_registered", 0),
            getattr(e, "n_attended", 0),
            places_left(e, getattr(e, "n_registered", 0)),
            e.is_demo,
        ]  # fmt: skip
        for e in events
    ]
    return exports.table_response(columns, rows, fmt, "events")


urls = [
    path("events/", event_list, name="events"),
    path("events/new/", event_edit, name="event_new"),
    path("events/download.<str:fmt>", event_export, name="event_export"),
    path("events/<int:pk>/", event_detail, name="event"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/registration/", event_registration, name="event_registration"),
    path("events/<int:pk>/attendance/", event_attendance, name="event_attendance"),
    path("events/<int:pk>/materials/", event_upload, name="event_upload"),
    path("events/<int:pk>/materials/<int:file_id>/", event_material, name="event_material"),
    path("events/<int:pk>/materials/<int:file_id>/remove/", event_material_remove, name="event_material_remove"),
]
