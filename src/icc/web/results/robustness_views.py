"""The secretariat's robustness pages: start a study of an edition (a background job), read a study, and preview
how every city's rank would move under other area weights. The rules live in :mod:`.robustness`."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pandas as pd
from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from icc import charts
from icc.engine.spec import compile_framework
from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.jobs import progress
from icc.web.network.definitions import definition_of
from icc.web.network.models import City, Edition
from icc.web.network.templatetags.icc import city_name

from . import robustness
from .models import RobustnessStudy, Score
from .queries import item_name
from .tasks import robustness_study
from .views import _lang

ASSUMPTION_LABELS = {
    "Weights": gettext_lazy("Area weights"),
    "DontKnow": gettext_lazy("“Don't know” rule"),
    "Aggregation": gettext_lazy("Mean of the areas"),
    "Lens": gettext_lazy("Intercultural lens"),
}


class StudyForm(forms.Form):
    weight_noise = forms.IntegerField(
        label=gettext_lazy("Area weights vary by ± (%)"),
        min_value=0,
        max_value=90,
        initial=25,
        help_text=gettext_lazy("Each area's weight becomes w·(1 + ε), ε uniform on [−x %, +x %]."),
    )
    dont_know = forms.BooleanField(
        label=gettext_lazy("“Don't know” scores 0 or is left out"), required=False, initial=True
    )
    aggregation = forms.BooleanField(
        label=gettext_lazy("Arithmetic or geometric mean of the areas"), required=False, initial=True
    )
    lens = forms.BooleanField(label=gettext_lazy("The lens counted once or per sub-area"), required=False, initial=True)
    runs = forms.IntegerField(label=gettext_lazy("Uncertainty runs"), min_value=100, max_value=20000, initial=1000)
    n = forms.IntegerField(
        label=gettext_lazy("Sensitivity sample N (N × (assumptions + 2) runs)"),
        min_value=20,
        max_value=4000,
        initial=200,
    )
    bootstrap = forms.IntegerField(label=gettext_lazy("Bootstrap resamples"), min_value=0, max_value=5000, initial=500)
    seed = forms.IntegerField(
        label=gettext_lazy("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=1,
        help_text=gettext_lazy("The same seed gives the same study."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data and not data.get("weight_noise") and not any(data.get(k) for k in ("dont_know", "aggregation", "lens")):
            raise forms.ValidationError(_("Choose at least one assumption to vary."))
        return data


def _edition(year: int) -> Edition:
    return get_object_or_404(Edition.objects.select_related("framework"), year=year)


def _names(slugs: list[str]) -> dict[str, str]:
    return {c.slug: city_name(c) for c in City.objects.filter(slug__in=slugs)}


@secretariat_only
def edition_robustness(request: AuthedRequest, year: int) -> HttpResponse:
    """The edition's studies and the form that starts a new one."""
    e = _edition(year)
    form = StudyForm(request.POST or None)
    nothing = not Score.objects.filter(edition=e).exists()
    if request.method == "POST" and nothing:
        form.is_valid()
        form.add_error(
            None, _("Edition %(year)s has no published response yet: there are no ranks to study.") % {"year": e.year}
        )
    if request.method == "POST" and not nothing and form.is_valid():
        d = form.cleaned_data
        options = robustness.options_with_defaults(
            {
                "weight_noise": d["weight_noise"] / 100,
                "runs": d["runs"],
                "n": d["n"],
                "bootstrap": d["bootstrap"],
                "dont_know": d["dont_know"],
                "aggregation": d["aggregation"],
                "lens": d["lens"],
            },
            seed=d["seed"],
        )
        now = datetime.now(UTC)
        study = RobustnessStudy.objects.create(edition=e, created=now, created_by=request.user, options=options)
        job = progress.enqueue(
            robustness_study,
            kind="robustness",
            label=_("Robustness of the %(year)s index") % {"year": e.year},
            user=request.user,
            args=(study.pk,),
            now=now,
        )
        RobustnessStudy.objects.filter(pk=study.pk).update(job=job)
        return redirect("jobs:detail", job_id=job.pk)
    studies = RobustnessStudy.objects.filter(edition=e).select_related("created_by", "job").order_by("-created")
    return render(
        request,
        "results/robustness.html",
        {"edition": e, "form": form, "studies": studies, "published": robustness.published_study(e)},
        status=400 if request.method == "POST" else 200,
    )


def _ranks_frame(study: RobustnessStudy) -> pd.DataFrame:
    names = _names([r["city"] for r in study.ranks])
    df = pd.DataFrame(study.ranks, columns=["city", "nominal", "mean", "median", "q5", "q95"])
    df.insert(0, "slug", df["city"])
    df["city"] = [names.get(s, s) for s in df["slug"]]
    return df.sort_values(["nominal", "city"])


def _describe_options(study: RobustnessStudy) -> list[str]:
    o = study.options
    out = []
    if o.get("weight_noise"):
        out.append(_("area weights ± %(pct)s %%") % {"pct": round(100 * o["weight_noise"])})
    if o.get("dont_know"):
        out.append(_("“don't know” scored 0 or left out"))
    if o.get("aggregation"):
        out.append(_("arithmetic or geometric mean of the areas"))
    if o.get("lens"):
        out.append(_("the lens counted once or per sub-area"))
    return out


@secretariat_only
def study_page(request: AuthedRequest, pk: int) -> HttpResponse:
    study = get_object_or_404(RobustnessStudy.objects.select_related("edition__framework", "job"), pk=pk)
    if not study.finished:
        if study.job_id:
            return redirect("jobs:detail", job_id=study.job_id)
        return render(request, "results/study.html", {"study": study, "pending": True}, status=202)
    ranks = _ranks_frame(study)
    if request.GET.get("format") == "csv":
        out = HttpResponse(content_type="text/csv; charset=utf-8")
        out["Content-Disposition"] = f'attachment; filename="robustness-{study.edition.year}-{study.pk}.csv"'
        w = csv.writer(out)
        w.writerow(["city", "name", "nominal_rank", "mean_rank", "median_rank", "q5_rank", "q95_rank"])
        for r in ranks.itertuples():
            w.writerow([r.slug, r.city, r.nominal, r.mean, r.median, r.q5, r.q95])
        return out
    lang = _lang()
    widest = ranks.assign(width=ranks["q95"] - ranks["q5"]).sort_values("width", ascending=False).head(1)
    spec = charts.rank_intervals(
        ranks,
        title=_("Rank of each city, and its 5th to 95th percentile rank over the runs"),
        description=_(
            "%(n)d cities by published rank; each line spans the 5th to the 95th percentile rank over %(runs)d "
            "runs; the widest is %(city)s, from %(lo).0f to %(hi).0f."
        )
        % {
            "n": len(ranks),
            "runs": study.options.get("runs", 0),
            "city": widest["city"].iloc[0] if len(widest) else "",
            "lo": widest["q5"].iloc[0] if len(widest) else 0,
            "hi": widest["q95"].iloc[0] if len(widest) else 0,
        },
        city_title=_("City"),
        rank_title=_("Rank (1 = best)"),
        nominal_title=_("Published rank"),
        median_title=_("Median rank"),
        lang=lang,
    )
    idx = pd.DataFrame(study.indices)
    idx["assumption"] = [str(ASSUMPTION_LABELS.get(v, v)) for v in idx["variable"]]
    top = idx.sort_values("sti", ascending=False).head(1)
    sens = charts.sensitivity_bars(
        idx,
        title=_("What drives the uncertainty of the ranks"),
        description=_(
            "First-order and total sensitivity index of each assumption, with 5–95 %% bootstrap intervals; the "
            "largest total index is %(name)s (%(value)s)."
        )
        % {
            "name": top["assumption"].iloc[0] if len(top) else "",
            "value": number_format(top["sti"].iloc[0] if len(top) else 0, 2),
        },
        assumption_title=_("Assumption"),
        index_title=_("Share of the variance of the rank shifts"),
        first_label=_("First order (alone)"),
        total_label=_("Total (with interactions)"),
        kind_title=_("Index"),
        lang=lang,
    )
    return render(
        request,
        "results/study.html",
        {
            "study": study,
            "ranks": ranks.to_dict("records"),
            "indices": idx.to_dict("records"),
            "rank_spec": spec,
            "sens_spec": sens,
            "options": _describe_options(study),
        },
    )


def _weight_fields(e: Edition) -> list[tuple[str, str, float]]:
    spec = compile_framework(e.framework.load())
    definition = definition_of(e)
    lang = _lang()
    return [
        (a, item_name(definition, a, lang), float(w))
        for a, w, core in zip(spec.areas, spec.weights, spec.core, strict=True)
        if core
    ]


@secretariat_only
def weights_preview(request: AuthedRequest, year: int) -> HttpResponse:
    """A form of the core areas' weights; with weights in the query string, every city's rank then and now."""
    e = _edition(year)
    fields = _weight_fields(e)
    problems: list[str] = []
    asked: dict[str, float] = {}
    values: dict[str, str] = {}
    for area, label, nominal in fields:
        raw = request.GET.get(area, "").strip().replace(",", ".")
        values[area] = raw or f"{nominal:g}"
        if not raw:
            continue
        try:
            w = float(raw)
            if not (w >= 0 and w < 1e6):
                raise ValueError
            asked[area] = w
        except ValueError:
            problems.append(
                _("%(area)s: “%(value)s” is not a weight (a number 0 or above).") % {"area": label, "value": raw}
            )
    context: dict = {
        "edition": e,
        "fields": [(a, label, nominal, values[a]) for a, label, nominal in fields],
        "problems": problems,
    }
    if not Score.objects.filter(edition=e).exists():
        problems.append(
            _("Edition %(year)s has no published response yet: there are no ranks to preview.") % {"year": e.year}
        )
    if asked and not problems:
        try:
            table = robustness.preview_weights(e, asked)
        except ValueError as exc:
            problems.append(str(exc))
            table = None
        if table is not None and not table.empty:
            names = _names(list(table.index))
            table = table.assign(name=[names.get(s, s) for s in table.index]).sort_values(["new_rank", "name"])
            moved = table["change"].abs()
            lang = _lang()
            context["spec"] = charts.rank_changes(
                table.rename(columns={"name": "city"}).reset_index(drop=True),
                title=_("Rank with the published and the new weights"),
                description=ngettext(
                    "%(n)d cities; with the new weights %(moved)d changes rank, by %(most)d places at most.",
                    "%(n)d cities; with the new weights %(moved)d change rank, by %(most)d places at most.",
                    int((moved > 0).sum()),
                )
                % {"n": len(table), "moved": int((moved > 0).sum()), "most": int(moved.max() if len(moved) else 0)},
                city_title=_("City"),
                rank_title=_("Rank (1 = best)"),
                now_label=_("Published weights"),
                new_label=_("New weights"),
                kind_title=_("Weights"),
                lang=lang,
            )
            context["rows"] = table.reset_index(names="slug").to_dict("records")
            context["moved"] = int((moved > 0).sum())
    return render(request, "results/weights.html", context, status=400 if problems else 200)
