"""Expert visits to cities (who came, whom they met, the report, recommendations per Index area) and the expert
roster (languages, fields of expertise, assigned cities, visits done).

Who sees a visit (:func:`visible_visits`): the secretariat every one, an expert those they took part in, a city
official their own city's. The secretariat records visits and their recommendations; an expert edits their own
roster profile, the secretariat any.
"""

from __future__ import annotations

import mimetypes
import re
from datetime import date
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from icc.web.accounts.models import CityAssignment, Role, User
from icc.web.accounts.permissions import AnyUser, AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City
from icc.web.network.templatetags.icc import city_name
from icc.web.questionnaire.evidence import keep_extension, problem_with

from . import exports, practices
from .listing import Filters, form_page
from .models import ExpertProfile, ExpertVisit, VisitRecommendation

PRIORITIES = ((1, gettext_lazy("High")), (2, gettext_lazy("Medium")), (3, gettext_lazy("Low")))
"""A recommendation's priority as stored (1–3) and as the pages name it."""
PRIORITY_CODES = {1: "high", 2: "medium", 3: "low"}  # the downloads' words


def _lang() -> str:
    return (get_language() or "en")[:2]


def _today() -> date:
    return timezone.localdate()


def person(user: User) -> str:
    return user.get_full_name() or user.username


def language_name(code: str) -> str:
    """An ISO 639-1 code's language in the page language where Django knows it ("fr" → "French"/"français")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        import pycountry

        found = pycountry.languages.get(alpha_2=code)
        return found.name if found is not None else code


# --- who may see what -----------------------------------------------------------------------------------------


def visible_visits(user: AnyUser) -> QuerySet[ExpertVisit]:
    """The expert visits ``user`` may see: every one for the secretariat, the expert's own, the city's own."""
    qs = ExpertVisit.objects.select_related("city")
    if is_secretariat(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(Q(experts__pk=user.pk) | Q(city_id__in=practices.official_city_ids(user))).distinct()


def _visit_or_404(user: AnyUser, pk: int) -> ExpertVisit:
    visit = visible_visits(user).filter(pk=pk).first()
    if visit is None:
        raise Http404(_("No expert visit you may see has this address."))
    return visit


def experts() -> QuerySet[User]:
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("last_name", "first_name", "username")


# --- forms ----------------------------------------------------------------------------------------------------


class CityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return city_name(obj) if obj.is_member else f"{obj.name} ({_('candidate')})"


class ExpertChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person(obj)


class ExpertVisitForm(forms.ModelForm):
    report_file = forms.FileField(
        label=gettext_lazy("Report"),
        required=False,
        help_text=gettext_lazy("PDF or office document; it replaces the current report"),
    )
    remove_report = forms.BooleanField(label=gettext_lazy("Remove the current report"), required=False)

    class Meta:
        model = ExpertVisit
        fields = ["city", "kind", "starts", "ends", "experts", "stakeholders"]
        field_classes = {"city": CityChoice, "experts": ExpertChoices}
        labels = {"city": gettext_lazy("City")}
        help_texts = {"stakeholders": gettext_lazy("One per line: department, organisation or group")}
        widgets = {
            "starts": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "experts": forms.CheckboxSelectMultiple,
            "stakeholders": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["city"].queryset = City.objects.filter(Q(is_member=True) | Q(accession__isnull=False)).order_by("name")
        fields["experts"].queryset = experts()
        if not self.instance.report:
            del self.fields["remove_report"]

    def clean_report_file(self) -> object:
        f = self.cleaned_data.get("report_file")
        if f:
            problem = problem_with(f)
            if problem:
                raise forms.ValidationError(problem)
        return f

    def clean(self) -> dict:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and ends < starts:
            self.add_error(
                "ends",
                _("The last day (%(ends)s) is before the first day (%(starts)s).")
                % {"ends": ends.isoformat(), "starts": starts.isoformat()},
            )
        return data


class RecommendationForm(forms.ModelForm):
    area = forms.ChoiceField(label=gettext_lazy("Index area"))
    priority = forms.TypedChoiceField(label=gettext_lazy("Priority"), choices=PRIORITIES, coerce=int, initial=2)

    class Meta:
        model = VisitRecommendation
        fields = ["area", "priority", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["area"].choices = [("", "—"), *areas]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the recommendation."))
        return text


LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


class ProfileForm(forms.ModelForm):
    area_list = forms.MultipleChoiceField(
        label=gettext_lazy("Fields of expertise (Index areas)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ExpertProfile
        fields = ["languages", "biography"]
        widgets = {"biography": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["area_list"].choices = areas
        if self.instance.pk:
            self.initial.setdefault("area_list", self.instance.areas)

    def clean_languages(self) -> str:
        import pycountry

        codes = list(dict.fromkeys(c.strip().lower() for c in re.split(r"[,;\s]+", self.cleaned_data["languages"])))
        codes = [c for c in codes if c]
        if not codes:
            raise forms.ValidationError(_("Give at least one language."))
        for code in codes:
            if not LANGUAGE_CODE.match(code) or pycountry.languages.get(alpha_2=code) is None:
                raise forms.ValidationError(
                    _("%(code)s is not a two-letter ISO 639-1 language code (e.g. en, fr, es).") % {"code": code[:12]}
                )
        return ",".join(codes)


# --- expert visits --------------------------------------------------------------------------------------------


@login_required
def visit_list(request: AuthedRequest) -> HttpResponse:
    f = Filters(request)
    kind = f.choice("kind", ExpertVisit.Kind.choices, _("kind"))
    qs = visible_visits(request.user)
    years = [(str(d.year), str(d.year)) for d in ExpertVisit.objects.dates("starts", "year", order="DESC")]
    year = f.choice("year", years, _("year"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(starts__year=int(year))
    page = f.page(qs.prefetch_related("experts", "recommendations").order_by("-starts", "pk"))
    for v in page:
        v.expert_names = [person(u) for u in v.experts.all()]
        v.n_recommendations = len(v.recommendations.all())
    return render(
        request,
        "learning/expert_visits.html",
        {"page": page, "filters": f, "kinds": ExpertVisit.Kind.choices, "years": years},
        status=400 if f.problems else 200,
    )


def _detail(request: HttpRequest, visit: ExpertVisit, status: int = 200, **extra: object) -> HttpResponse:
    lang = _lang()
    areas = practices.area_choices(lang)
    order = {a: i for i, (a, _n) in enumerate(areas)}
    names = dict(areas)
    labels = dict(PRIORITIES)
    recommendations = sorted(
        visit.recommendations.all(), key=lambda r: (order.get(r.area, len(order)), r.priority, r.pk)
    )
    for r in recommendations:
        r.area_name = names.get(r.area, r.area)  # type: ignore[attr-defined]
        r.priority_label = labels.get(r.priority, r.priority)  # type: ignore[attr-defined]
    secretariat = is_secretariat(request.user)
    context = {
        "v": visit,
        "city": city_name(visit.city),
        "experts": [person(u) for u in visit.experts.order_by("last_name", "username")],
        "recommendations": recommendations,
        "report_name": PurePath(visit.report.name).name if visit.report else "",
        "secretariat": secretariat,
        "form": extra.pop("form", None) or (RecommendationForm(areas=areas) if secretariat else None),
        **extra,
    }
    return render(request, "learning/expert_visit.html", context, status=status)


@login_required
def visit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, _visit_or_404(request.user, pk))


@secretariat_only
def visit_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """The secretariat's form for a new expert visit or an edit (with the report upload)."""
    visit = get_object_or_404(ExpertVisit, pk=pk) if pk is not None else ExpertVisit()
    form = ExpertVisitForm(request.POST or None, request.FILES or None, instance=visit)
    if request.method == "POST" and form.is_valid():
        saved: ExpertVisit = form.save(commit=False)
        if saved.pk is None:
            saved.created, saved.created_by = timezone.now(), request.user
        upload = form.cleaned_data.get("report_file")
        if upload or form.cleaned_data.get("remove_report"):
            if saved.report:
                saved.report.delete(save=False)
        if upload:
            saved.report.save(keep_extension(upload.name or "report", 70), upload, save=False)
        saved.save()
        form.save_m2m()
        return redirect(f"/expert-visits/{saved.pk}/?saved=1")
    return form_page(request, "learning/expert_visit_form.html", {"form": form, "v": visit})


@login_required
def visit_report(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The visit's report, for those who may see the visit."""
    visit = _visit_or_404(request.user, pk)
    if not visit.report:
        raise Http404(_("No such file."))
    name = PurePath(visit.report.name).name
    return FileResponse(
        visit.report.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )


@secretariat_only
def recommendation_new(request: AuthedRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(ExpertVisit.objects.select_related("city"), pk=pk)
    if request.method != "POST":
        return redirect("learning:expert_visit", pk=pk)
    form = RecommendationForm(request.POST, areas=practices.area_choices(_lang()))
    if not form.is_valid():
        return _detail(request, visit, status=400, form=form)
    recommendation = form.save(commit=False)
    recommendation.visit = visit
    recommendation.save()
    return redirect(f"/expert-visits/{pk}/?added=1#recommendations")


@secretariat_only
def recommendation_edit(request: AuthedRequest, pk: int, rec_id: int) -> HttpResponse:
    recommendation = get_object_or_404(
        VisitRecommendation.objects.select_related("visit__city"), pk=rec_id, visit_id=pk
    )
    form = RecommendationForm(request.POST or None, instance=recommendation, areas=practices.area_choices(_lang()))
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(f"/expert-visits/{pk}/?changed=1#recommendations")
    return form_page(
        request,
        "learning/expert_recommendation.html",
        {"form": form, "r": recommendation, "v": recommendation.visit, "city": city_name(recommendation.visit.city)},
    )


@secretariat_only
def recommendation_remove(request: AuthedRequest, pk: int, rec_id: int) -> HttpResponse:
    recommendation = get_object_or_404(VisitRecommendation, pk=rec_id, visit_id=pk)
    if request.method == "POST":
        recommendation.delete()
        return redirect(f"/expert-visits/{pk}/?removed=1#recommendations")
    return redirect("learning:expert_visit", pk=pk)


@secretariat_only
def visit_export(request: AuthedRequest, fmt: str) -> HttpResponse:
    """One row per recommendation (a visit without any gets one row with empty recommendation columns)."""
    if fmt not in exports.FORMATS:
        return HttpResponse(_("Unknown format: use csv or xlsx."), status=404, content_type="text/plain; charset=utf-8")
    columns = [
        "visit", "city", "country", "kind", "starts", "ends", "experts", "stakeholders", "report", "area",
        "priority", "recommendation", "demo",
    ]  # fmt: skip
    rows = []
    visits = ExpertVisit.objects.select_related("city").prefetch_related("experts", "recommendations")
    for v in visits.order_by("starts", "pk"):
        head = [
            v.pk,
            v.city.slug,
            v.city.country_code,
            v.kind,
            v.starts.isoformat(),
            v.ends.isoformat(),
            " ".join(sorted(u.username for u in v.experts.all())),
            v.stakeholders,
            bool(v.report),
        ]
        recommendations = sorted(v.recommendations.all(), key=lambda r: (r.priority, r.pk))
        if not recommendations:
            rows.append([*head, "", "", "", v.is_demo])
        for r in recommendations:
            rows.append([*head, r.area, PRIORITY_CODES.get(r.priority, r.priority), r.text, v.is_demo])
    return exports.table_response(columns, rows, fmt, "expert-visits")


# --- the roster -----------------------------------------------------------------------------------------------


def may_edit_profile(user: AnyUser, expert: User) -> bool:
    return is_secretariat(user) or (user.is_authenticated and user.pk == expert.pk)


@login_required
def roster(request: AuthedRequest) -> HttpResponse:
    """Every expert with languages, fields of expertise, assigned cities and visits; filters language and area."""
    lang = _lang()
    areas = practices.area_choices(lang)
    names = dict(areas)
    people = list(experts())
    profiles = {p.user_id: p for p in ExpertProfile.objects.filter(user__in=people)}
    codes = sorted({c for p in profiles.values() for c in p.languages.split(",") if c})
    f = Filters(request)
    language = f.choice("language", [(c, language_name(c)) for c in codes], _("language"))
    area = f.choice("area", areas, _("area"))
    assigned: dict[int, list[City]] = {}
    for a in CityAssignment.objects.filter(user__in=people).select_related("city").order_by("city__name"):
        assigned.setdefault(a.user_id, []).append(a.city)
    visits: dict[int, list[ExpertVisit]] = {}
    taken = ExpertVisit.objects.filter(experts__in=people).distinct().select_related("city").prefetch_related("experts")
    for v in taken.order_by("-starts", "pk"):
        for u in v.experts.all():
            visits.setdefault(u.pk, []).append(v)
    seen = set(visible_visits(request.user).values_list("pk", flat=True))
    today = _today()
    rows = []
    for u in people:
        p = profiles.get(u.pk)
        langs = [c for c in (p.languages.split(",") if p else []) if c]
        fields = list(p.areas) if p else []
        if (language and language not in langs) or (area and area not in fields):
            continue
        own = visits.get(u.pk, [])
        rows.append(
            {
                "user": u,
                "name": person(u),
                "profile": p,
                "languages": [(c, language_name(c)) for c in langs],
                "areas": [names.get(a, a) for a in fields],
                "cities": assigned.get(u.pk, []),
                "visits": [(v, v.pk in seen, v.starts > today) for v in own],
                "done": sum(1 for v in own if v.starts <= today),
                "may_edit": may_edit_profile(request.user, u),
            }
        )
    page = f.page(rows, per_page=50)
    return render(
        request,
        "learning/experts.html",
        {"page": page, "filters": f, "languages": [(c, language_name(c)) for c in codes], "areas": areas},
        status=400 if f.problems else 200,
    )


@login_required
def profile_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """An expert's roster profile: by the expert, or by the secretariat."""
    expert = get_object_or_404(User, pk=pk, role=Role.EXPERT)
    if not may_edit_profile(request.user, expert):
        raise PermissionDenied(_("Only the expert and the secretariat edit this profile."))
    profile = ExpertProfile.objects.filter(user=expert).first() or ExpertProfile(user=expert)
    form = ProfileForm(request.POST or None, instance=profile, areas=practices.area_choices(_lang()))
    if request.method == "POST" and form.is_valid():
        saved: ExpertProfile = form.save(commit=False)
        saved.areas = list(form.cleaned_data["area_list"])
        saved.save()
        return redirect("/experts/?saved=1")
    return form_page(request, "learning/expert_profile.html", {"form": form, "expert": expert, "name": person(expert)})


urls = [
    path("expert-visits/", visit_list, name="expert_visits"),
    path("expert-visits/new/", visit_edit, name="expert_visit_new"),
    path("expert-visits/download.<str:fmt>", visit_export, name="expert_visit_export"),
    path("expert-visits/<int:pk>/", visit_detail, name="expert_visit"),
    path("expert-visits/<int:pk>/edit/", visit_edit, name="expert_visit_edit"),
    path("expert-visits/<int:pk>/report/", visit_report, name="expert_visit_report"),
    path("expert-visits/<int:pk>/recommendations/", recommendation_new, name="recommendation_new"),
    path("expert-visits/<int:pk>/recommendations/<int:rec_id>/", recommendation_edit, name="recommendation_edit"),
    path(
        "expert-visits/<int:pk>/recommendations/<int:rec_id>/remove/",
        recommendation_remove,
        name="recommendation_remove",
    ),
    path("experts/", roster, name="experts"),
    path("experts/<int:pk>/edit/", profile_edit, name="expert_profile"),
]
