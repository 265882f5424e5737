"""The public methodology page: how every published number is computed, read from the framework definition itself
(rules, weights, points per answer option, peer-group bands), so that the page can never disagree with the engine.
The framework also downloads as JSON (API) and as the XLSX the secretariat edits.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from icc.engine.clusters import ClusterRules
from icc.engine.matching import MatchWeights
from icc.framework import Framework as Definition
from icc.framework import FrameworkMapping, shipped_mapping
from icc.framework.schema import Question, text_in
from icc.framework.xlsx import export_xlsx
from icc.web.network.definitions import stored_definition
from icc.web.network.models import Edition, StoredFramework

from .queries import default_edition
from .robustness import DEFAULT_OPTIONS
from .views import _lang


def _and(names: list[str]) -> str:
    """``"A, B and C"`` in the active language."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + _(" and ") + names[-1]


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


@dataclass
class QuestionRow:
    id: str
    text: str
    scoring: list[str]  # "label: n points" per option or band
    notes: list[str] = field(default_factory=list)
    maximum: float = 0.0


@dataclass
class LeafRow:
    id: str
    name: str
    level: str  # area | subarea
    core: bool
    weight: float | None
    questions: list[QuestionRow]
    maximum: float


def _question_row(q: Question, definition: Definition, texts: dict[str, str], lang: str) -> QuestionRow:
    if q.type in ("number", "percentage"):
        unit = "%" if q.type == "percentage" else (f" {q.unit_in(lang)}" if q.unit else "")
        scoring = []
        for b in q.bands:
            if b.min is not None and b.max is not None:
                where = _("from %(low)s to under %(high)s") % {"low": _num(b.min), "high": _num(b.max) + unit}
            elif b.min is not None:
                where = _("%(low)s or more") % {"low": _num(b.min) + unit}
            else:
                where = _("under %(high)s") % {"high": _num(b.max) + unit}
            scoring.append(_("%(what)s: %(points)s points") % {"what": where, "points": _num(b.points)})
    else:
        scoring = [
            _("%(what)s: %(points)s points") % {"what": text_in(o.label, lang), "points": _num(o.points)}
            for o in q.options
        ]
    notes = []
    if q.type == "multiple":
        notes.append(
            _("Points of the options ticked are added, up to %(max)s.") % {"max": _num(q.maximum())}
            if q.max_points is not None
            else _("Points of the options ticked are added.")
        )
    if q.dont_know and q.dont_know != definition.rules.dont_know:
        notes.append(_dont_know_texts()[q.dont_know])
    if q.applies_if:
        controlling = definition.question(q.applies_if.question)
        labels = {o.id: text_in(o.label, lang) for o in controlling.options}
        notes.append(
            _(
                "Asked only when “%(question)s” is answered %(answers)s; otherwise it earns the same share of its "
                "points as that answer."
            )
            % {
                "question": texts.get(controlling.id, controlling.id),
                "answers": _(" or ").join(f"“{labels.get(i, i)}”" for i in q.applies_if.in_),
            }
        )
    return QuestionRow(q.id, text_in(q.text, lang), scoring, notes, q.maximum())


def _dont_know_texts() -> dict[str, str]:
    """The texts of the don't-know rules, in the active language."""
    return {
        "zero": _("“Don't know” earns 0 points of the question's maximum."),
        "exclude": _("“Don't know” leaves the question out of the points obtained and possible."),
    }


def _leaves(definition: Definition, lang: str) -> list[LeafRow]:
    texts = {q.id: text_in(q.text, lang) for q in definition.questions()}

    def rows(questions: list[Question]) -> list[QuestionRow]:
        return [_question_row(q, definition, texts, lang) for q in questions if q.is_scored]

    out = []
    for a in definition.areas:
        own = rows(a.questions)
        subs = [
            LeafRow(s.id, text_in(s.name, lang), "subarea", a.core, None, qs, sum(r.maximum for r in qs))
            for s in a.subareas
            for qs in [rows(s.questions)]
        ]
        maximum = sum(r.maximum for r in own) + sum(s.maximum for s in subs)
        out.append(LeafRow(a.id, text_in(a.name, lang), "area", a.core, a.weight, own, maximum))
        out.extend(subs)
    return out


def _question_text(definition: Definition, question_id: str, lang: str) -> str:
    try:
        return text_in(definition.question(question_id).text, lang)
    except KeyError:  # a definition loaded later without this question: show its id
        return question_id


def _mappings(fw: StoredFramework, stored: list[StoredFramework], lang: str) -> list[dict]:
    """The question mappings between this framework and the other stored ones (``stored``: newest version of each
    id first), used for progress across a revision, with the question texts of both sides."""
    latest: dict[str, StoredFramework] = {fw.framework_id: fw}
    for f in stored:
        latest.setdefault(f.framework_id, f)
    out = []
    for other in sorted(set(latest) - {fw.framework_id}):
        for source, target in ((other, fw.framework_id), (fw.framework_id, other)):
            mapping = shipped_mapping(source, target)
            if mapping is None:
                continue
            old, new = (stored_definition(latest[k].pk, latest[k].version) for k in (source, target))
            rows = [
                {
                    "from_id": q.from_,
                    "from_text": _question_text(old, q.from_, lang),
                    "to_id": q.to,
                    "to_text": _question_text(new, q.to, lang),
                    "renamed": len(q.options),
                }
                for q in mapping.questions
            ]
            out.append(
                {"source": source, "target": target, "rows": rows, "coverage": _coverage(old, new, mapping, lang)}
            )
    return out


def _coverage(old: Definition, new: Definition, mapping: FrameworkMapping, lang: str) -> list[dict]:
    """Per item of ``new``: its scored questions and how many of them a question of ``old`` is mapped to
    (``icc.engine.change.mapping_coverage``, the table of docs/methodology.md section 8), with its name."""
    from icc.engine.change import mapping_coverage

    names = new.item_names(lang)
    return [
        {
            "item": r.item,
            "name": names.get(r.item, r.item),
            "level": r.level,
            "questions": r.questions,
            "mapped": r.mapped,
        }
        for r in mapping_coverage(old, new, mapping).itertuples()
    ]


def _chosen(request: HttpRequest, stored: list[StoredFramework]) -> tuple[StoredFramework, list[str]]:
    """The framework the page shows (``?framework=<id>[&version=<v>]``), and problems with the request."""
    if not stored:
        raise Http404(_("no framework is stored"))
    shown = default_edition()
    default = shown.framework if shown else stored[0]
    wanted, version = request.GET.get("framework", ""), request.GET.get("version", "")
    if not wanted:
        return default, []
    matching = [f for f in stored if f.framework_id == wanted and (not version or f.version == version)]
    if matching:
        return matching[0], []
    known = ", ".join(sorted({f.framework_id for f in stored}))
    problem = _("framework=%(value)s is unknown (known: %(known)s); showing %(shown)s.") % {
        "value": repr(wanted + (f" {version}" if version else "")),
        "known": known,
        "shown": str(default),
    }
    return default, [problem]


def methodology(request: HttpRequest) -> HttpResponse:
    """The methodology of ``?framework=<id>[&version=<v>]`` (default: the framework of the default edition); an
    unknown framework is a 400 that names the known ones and shows the default (as the other public pages do)."""
    lang = _lang()
    stored = list(StoredFramework.objects.defer("definition").order_by("framework_id", "-version"))
    fw, problems = _chosen(request, stored)
    definition = stored_definition(fw.pk, fw.version)
    rules = definition.rules
    areas = list(definition.areas)
    context = {
        "fw": fw,
        "definition_title": text_in(definition.title, lang),
        "frameworks": stored,
        "problems": problems,
        "rules": rules,
        "dont_know_text": _dont_know_texts()[rules.dont_know],
        "unanswered_text": (
            _("An unanswered question earns 0 points of its maximum.")
            if rules.unanswered == "zero"
            else _("An unanswered question is left out of the points obtained and possible.")
        ),
        "lens": [a for a in areas if a.subareas],
        "lens_names": {a.id: text_in(a.name, lang) for a in areas if a.subareas},
        "extended_names": _and([text_in(a.name, lang) for a in areas if not a.core]),
        "n_indicators": sum(len(a.subareas) or 1 for a in areas if a.core),
        "leaves": _leaves(definition, lang),
        "n_scored": len(definition.scored_questions()),
        "size_bands": [(text_in(b.label, lang), b) for b in definition.peer_groups.population],
        "diversity_bands": [(text_in(b.label, lang), b) for b in definition.peer_groups.foreign_born],
        "mappings": _mappings(fw, stored, lang),
        "robustness_defaults": {
            "noise": round(100 * DEFAULT_OPTIONS["weight_noise"]),
            "runs": DEFAULT_OPTIONS["runs"],
            "n": DEFAULT_OPTIONS["n"],
        },
        "match_weights": MatchWeights(),
        "cluster_rules": {
            "weak_pct": round(100 * ClusterRules().weak_quantile),
            "strong_pct": round(100 * (1 - ClusterRules().strong_quantile)),
            "min_size": ClusterRules().min_size,
            "max_size": ClusterRules().max_size,
            "resources": ClusterRules().resources,
        },
        "editions": [
            e.year if e.is_released else _("%(year)s (not released)") % {"year": e.year}
            for e in Edition.objects.filter(framework=fw).order_by("year")
        ],
    }
    return render(request, "results/methodology.html", context, status=400 if problems else 200)


def framework_xlsx(request: HttpRequest, framework_id: str, version: str) -> HttpResponse:
    """The framework as the XLSX workbook the secretariat edits (same format as ``icc framework export``)."""
    try:
        fw = StoredFramework.objects.get(framework_id=framework_id, version=version)
    except StoredFramework.DoesNotExist:
        raise Http404(_("no such framework version")) from None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "framework.xlsx"
        export_xlsx(stored_definition(fw.pk, fw.version), path)
        content = path.read_bytes()
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{fw.framework_id}-{fw.version}.xlsx"'
    return response
