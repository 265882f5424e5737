"""Learning-cluster pages: the clusters of an edition (signed-in members), the secretariat's computation and
edit. Rules: :mod:`.clusters`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from icc.web.accounts.permissions import AuthedRequest, is_secretariat, secretariat_only
from icc.web.network.models import City, Edition
from icc.web.network.templatetags.icc import city_name
from icc.web.results import queries

from . import clusters, practices
from .listing import Filters, form_page
from .models import ClusterCity, LearningCluster


def _lang() -> str:
    return (get_language() or "en")[:2]


@login_required
def cluster_list(request: AuthedRequest) -> HttpResponse:
    computed = Edition.objects.filter(clusters__isnull=False).distinct().order_by("-year")
    f = Filters(request)
    year = f.choice("edition", [(str(e.year), str(e.year)) for e in computed], _("edition"))
    edition = next((e for e in computed if str(e.year) == year), computed.first())
    names = dict(practices.area_choices(_lang()))
    rows = []
    if edition is not None:
        for c in LearningCluster.objects.filter(edition=edition).prefetch_related("cities__city"):
            members = sorted((cc.city for cc in c.cities.all() if cc.role == ClusterCity.Role.MEMBER), key=city_name)
            resources = [cc.city for cc in c.cities.all() if cc.role == ClusterCity.Role.RESOURCE]
            rows.append({"c": c, "area": names.get(c.area, c.area), "members": members, "resources": resources})
    own = practices.official_city_ids(request.user)
    context = {
        "edition": edition,
        "editions": computed,
        "rows": rows,
        "filters": f,
        "own": own,
        "scored": queries.scored_editions() if is_secretariat(request.user) else [],
    }
    return render(request, "learning/clusters.html", context, status=400 if f.problems else 200)


@secretariat_only
def cluster_compute(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("learning:clusters")
    from django.contrib import messages

    year = request.POST.get("edition", "")
    edition = Edition.objects.filter(year=int(year)).first() if year.isdigit() else None
    seed = request.POST.get("seed", "0")
    if edition is None or not seed.isdigit():
        messages.error(request, _("Choose an edition and a whole-number seed."))
        return redirect("learning:clusters")
    try:
        stored = clusters.compute(
            edition, datetime.now(UTC), seed=int(seed), replace_edited=bool(request.POST.get("replace"))
        )
    except clusters.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)d clusters computed for %(year)s.") % {"n": len(stored), "year": edition.year})
    return redirect(f"/clusters/?edition={edition.year}" if edition else "/clusters/")


class ClusterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=160)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Member cities"),
        queryset=City.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    resources = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Resource cities"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Strong in the area; they share their experience with the members"),
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        members = City.objects.filter(is_member=True).order_by("name")
        for name in ("members", "resources"):
            field: Any = self.fields[name]
            field.queryset = members


@secretariat_only
def cluster_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(LearningCluster.objects.select_related("edition"), pk=pk)
    initial = {
        "name": cluster.name,
        "note": cluster.note,
        "members": [cc.city_id for cc in cluster.cities.filter(role=ClusterCity.Role.MEMBER)],
        "resources": [cc.city_id for cc in cluster.cities.filter(role=ClusterCity.Role.RESOURCE)],
    }
    form = ClusterForm(request.POST or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            clusters.edit(
                cluster.pk, d["name"], d["note"], list(d["members"]), list(d["resources"]), request.user,
                datetime.now(UTC),
            )  # fmt: skip
        except clusters.Refused as exc:
            problems.append(str(exc))
        else:
            return redirect(f"/clusters/?edition={cluster.edition.year}#cluster-{cluster.pk}")
    return form_page(
        request,
        "learning/cluster_edit.html",
        {"cluster": cluster, "form": form, "problems": problems, "area": practices.area_name(cluster.area, _lang())},
    )
