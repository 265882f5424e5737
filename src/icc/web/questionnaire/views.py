"""Filling, reviewing and publishing a response. Every view checks access through icc.web.questionnaire.permissions."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from icc.framework import DONT_KNOW, Framework, Question
from icc.framework.answers import TEXT_MAX, AnswerValue, InvalidAnswer, applicable, clean_answer, completion
from icc.framework.cells import csv_safe
from icc.framework.response_xlsx import export_response, read_response_file
from icc.framework.schema import NUMERIC_TYPES, text_in
from icc.framework.workbook import UPLOAD_MAX
from icc.web.accounts.models import User
from icc.web.accounts.permissions import AuthedRequest, secretariat_only
from icc.web.network.definitions import definition_of
from icc.web.network.templatetags.icc import grouped

from . import audit, evidence, workflow
from . import carry_over as carrying
from . import permissions as perm
from . import review as reviewing
from .editing import MARK as CARRIED_MARK
from .editing import KeyReused, OutdatedFile, import_answers, save_answer
from .models import Answer, AnswerChange, AuditEvent, EvidenceFile, Response, ResponseEvent, ReviewMessage
from .sections import Section, section_of, sections
from .workflow import Refused


def now() -> datetime:
    return datetime.now(UTC)


def _lang() -> str:
    return (get_language() or "en")[:2]


def _values(response: Response) -> dict[str, Answer]:
    return {a.question_id: a for a in response.answers.all()}


def _progress(request: AuthedRequest, response: Response, answers: dict[str, Answer]) -> dict:
    """Answered / applicable questions per section and overall (skip logic applied), for the progress bars."""
    fw = definition_of(response.edition)
    values = {q: a.value for q, a in answers.items()}
    shown = applicable(fw, values)
    prog = completion(fw, values, shown)
    lang = _lang()
    can_edit = perm.area_editor(request.user, response)
    rows = []
    for s in sections(fw):
        done, total = prog.get(s.id, (0, 0))
        dont_know = sum(
            1 for q in s.questions if not q.deprecated and shown.get(q.id, True) and values.get(q.id) == DONT_KNOW
        )
        to_confirm = sum(
            1
            for q in s.questions
            if shown.get(q.id, True) and q.id in answers and answers[q.id].carried_over_from is not None
        )
        rows.append(
            {
                "section": s,
                "title": s.title(lang),
                "done": done,
                "total": total,
                "pct": round(100 * done / total) if total else 100,
                "dont_know": dont_know,
                "to_confirm": to_confirm,
                "editable": can_edit(s.id),
                "returned": sum(
                    1 for q in s.questions if answers.get(q.id) and answers[q.id].review == Answer.Review.RETURNED
                ),
            }
        )
    done, total = prog.get("all", (0, 0))
    return {
        "framework": fw,
        "sections": rows,
        "overall": {
            "done": done,
            "total": total,
            "pct": round(100 * done / total) if total else 100,
            "dont_know": sum(r["dont_know"] for r in rows),
            "to_confirm": sum(r["to_confirm"] for r in rows),
        },
    }


def _context(request: AuthedRequest, response: Response) -> dict:
    answers = _values(response)
    return {
        "response": response,
        "answers": answers,
        **_progress(request, response, answers),
        "can_submit": perm.can_submit(request.user, response),
        "can_review": perm.can_review(request.user, response),
        "can_publish": perm.can_publish(request.user, response),
        "is_coordinator": perm.is_coordinator_of(request.user, response),
        "can_withdraw": response.status == Response.Status.SUBMITTED
        and perm.is_coordinator_of(request.user, response)
        and not workflow.review_started(response),
        "events": response.events.select_related("user"),
    }


LIST_PAGE = 50


@login_required
def response_list(request: AuthedRequest) -> HttpResponse:
    """The responses a user may see, filtered by edition, status and city name, 50 a page."""
    from django.core.paginator import Paginator

    responses = perm.visible_responses(request.user).order_by("-edition__year", "city__name")
    years = sorted(set(responses.values_list("edition__year", flat=True)), reverse=True)
    year, status, q = request.GET.get("edition", ""), request.GET.get("status", ""), request.GET.get("q", "")[:100]
    problems = []
    if year:
        if year.isdigit() and int(year) in years:
            responses = responses.filter(edition__year=int(year))
        else:
            problems.append(_("There is no edition %(value)s; showing every edition.") % {"value": year[:20]})
            year = ""
    if status:
        if status in Response.Status.values:
            responses = responses.filter(status=status)
        else:
            problems.append(_("%(value)s is not a status; showing every status.") % {"value": status[:20]})
            status = ""
    if q.strip():
        responses = responses.filter(city__name__icontains=q.strip())
    page = Paginator(responses, LIST_PAGE).get_page(request.GET.get("page"))
    query = {k: v for k, v in {"edition": year, "status": status, "q": q.strip()}.items() if v}
    from urllib.parse import urlencode

    return render(
        request,
        "questionnaire/list.html",
        {
            "responses": page,
            "page": page,
            "years": years,
            "statuses": Response.Status.choices,
            "chosen": {"edition": year, "status": status, "q": q.strip()},
            "query": urlencode(query),
            "problems": problems,
            "filtered": bool(query),
        },
    )


@perm.response_view()
def response_detail(request: AuthedRequest, response: Response) -> HttpResponse:
    return render(request, "questionnaire/detail.html", _detail_context(request, response))


def _detail_context(request: AuthedRequest, response: Response, **extra: Any) -> dict:
    """Everything the response's page shows (also when it is shown again with the problems of an import)."""
    ctx = _context(request, response)
    titles = {r["section"].id: r["title"] for r in ctx["sections"]}
    ctx["status_labels"] = dict(Response.Status.choices)
    ctx["colleagues"] = [
        a.user
        for a in response.city.assignments.select_related("user").order_by("user__last_name", "user__username")
        if a.user.role == "official" and not a.coordinator and a.user.is_active
    ]
    ctx["area_assignments"] = [
        {"section_id": a.area_id, "title": titles.get(a.area_id, a.area_id), "user": a.user}
        for a in response.area_assignments.select_related("user").order_by("area_id")
    ]
    changes: list[dict] = [{"at": e.at, "event": e} for e in ctx["events"]]
    changes += [{"at": c.at, "carried": c} for c in carrying.carried_events(response)]
    ctx["history"] = sorted(changes, key=lambda item: item["at"])  # stable: a state change first at the same time
    if carrying.can_carry_over(response) and ctx["is_coordinator"]:
        ctx["carry_over"] = carrying.plan(response)
    return {**ctx, **extra}


def _question_rows(
    request: HttpRequest,
    response: Response,
    questions,
    answers: dict[str, Answer],
    values: dict[str, str],
    section_id: str,
) -> list[dict]:
    lang = _lang()
    fw = definition_of(response.edition)
    shown = applicable(fw, values)
    can_edit_section = perm.can_edit_area(request.user, response, section_id)
    rows = []
    for q in questions:
        a = answers.get(q.id)
        before = a.returned_snapshot if a is not None else None
        rows.append(
            {
                "q": q,
                "a": a,
                "text": text_in(q.text, lang),
                "help": text_in(q.help, lang),
                "unit": q.unit_in(lang),
                "options": [(o.id, text_in(o.label, lang)) for o in q.options],
                "selected": set((a.value if a else "").split(";")),
                "applies_if": q.applies_if.model_dump(by_alias=True) if q.applies_if else None,
                "hidden": not shown.get(q.id, True),
                "editable": can_edit_section and workflow.answer_is_editable(response, a),
                "files": evidence.files_of(a),
                "messages": list(a.messages.select_related("user")) if a is not None else [],
                "can_reply": (
                    can_edit_section
                    and response.status == Response.Status.RETURNED
                    and a is not None
                    and a.review in (Answer.Review.RETURNED, Answer.Review.CORRECTED)
                ),
                "before": (
                    describe(q, before["value"], before["evidence_text"])
                    if before and a is not None and reviewing.changed_since_returned(a)
                    else None
                ),
                "low": q.valid_range()[0],
                "high": q.valid_range()[1],
            }
        )
    return rows


@perm.response_view()
def section_page(request: AuthedRequest, response: Response, section_id: str) -> HttpResponse:
    fw = definition_of(response.edition)
    secs = sections(fw)
    index = {s.id: i for i, s in enumerate(secs)}
    if section_id not in index:
        raise Http404(_("No such section"))
    section = secs[index[section_id]]
    ctx = _context(request, response)
    ctx["current"] = next(r for r in ctx["sections"] if r["section"].id == section_id)
    answers = ctx["answers"]
    values = {q: a.value for q, a in answers.items()}
    ctx.update(
        {
            "section": section,
            "title": section.title(_lang()),
            "rows": _question_rows(request, response, section.questions, answers, values, section.id),
            "previous": secs[index[section_id] - 1] if index[section_id] > 0 else None,
            "next": secs[index[section_id] + 1] if index[section_id] + 1 < len(secs) else None,
            "text_max": TEXT_MAX,
            "upload_max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "upload_types": ", ".join(settings.UPLOAD_EXTENSIONS),
            # why nothing here can be changed by this person now (None: they may change what the review allows)
            "read_only": _may_not_edit(request, response, section.id),
        }
    )
    return render(request, "questionnaire/section.html", ctx)


def describe(question, value: str, evidence: str = "") -> str:
    """An answer as a person reads it: option labels in the page language, "Don't know", the evidence text."""
    lang = _lang()
    labels = {o.id: text_in(o.label, lang) for o in question.options}
    if value == "dont_know":
        shown = _("Don't know")
    elif question.options:
        shown = ", ".join(labels.get(v, v) for v in value.split(";") if v) or _("(no answer)")
    elif value and question.type in NUMERIC_TYPES:
        shown = f"{grouped(value)} {question.unit_in(lang)}".strip()
    else:
        shown = value or _("(no answer)")
    return f"{shown} — {evidence}" if evidence else shown


def _state(
    request: HttpRequest, question_id: str, state: str, reason: str, status: int, field: str = ""
) -> HttpResponse:
    """The save state of one answer for the page (with the reason when it was not saved)."""
    page = render(
        request,
        "questionnaire/_state.html",
        {"state": state, "reason": reason, "qid": question_id, "field": field},
        status=status,
    )
    page["X-Answer-State"] = state
    return page


def _may_not_edit(request: AuthedRequest, response: Response, section_id: str) -> str | None:
    """Why this user may not change answers of this section now (None: they may, answer by answer)."""
    if not perm.is_official_of(request.user, response):
        return _("Only the officials of %(city)s can change its answers.") % {"city": response.city.name}
    if not response.is_editable_by_city:
        return workflow.why_not_editable(response, None)
    return perm.why_not_area(request.user, response, section_id)


def _question_in(response: Response, question_id: str):
    fw = definition_of(response.edition)
    where = section_of(fw).get(question_id)
    if where is None:
        raise Http404(_("No such question"))
    return fw, fw.question(question_id), where


@dataclass(frozen=True)
class Target:
    """The answer a city's change is about: its question, the question's section and the edition's framework."""

    fw: Framework
    question: Question
    section: Section

    @property
    def id(self) -> str:
        return self.question.id


def city_changes_answer(refused: Callable[[AuthedRequest, Response, str, str], HttpResponse]) -> Callable:
    """For the POST views by which the city changes one answer (save, upload, remove a file, reply): 404 for a
    question the edition does not have; when this user may not change the answer now, ``refused(request, response,
    question_id, reason)`` draws the reason (403). The view receives the :class:`Target` instead of its id."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @require_POST
        @perm.response_view()
        @wraps(view)
        def wrapper(request: AuthedRequest, response: Response, question_id: str, **kwargs: Any) -> HttpResponse:
            fw, question, where = _question_in(response, question_id)
            reason = _may_not_edit(request, response, where.id)
            if reason:
                return refused(request, response, question_id, reason)
            return view(request, response, Target(fw, question, where), **kwargs)

        return wrapper

    return decorate


def _refused_state(request: AuthedRequest, _response: Response, question_id: str, reason: str) -> HttpResponse:
    return _state(request, question_id, "refused", reason, 403)


def _refused_files(request: AuthedRequest, response: Response, question_id: str, reason: str) -> HttpResponse:
    return _files_block(request, response, question_id, status=403, problem=reason)


def _refused_reply(_request: AuthedRequest, _response: Response, _question_id: str, reason: str) -> HttpResponse:
    raise PermissionDenied(reason)


@city_changes_answer(_refused_state)
def save(request: AuthedRequest, response: Response, target: Target) -> HttpResponse:
    """Autosave of one answer (htmx): the form posts the whole answer (value or "don't know", evidence text and
    links). 200 saved, 409 conflict (both values shown), 422 invalid value (the reason shown at the field), 403 when
    the answer may not change any more (the reason shown; the page stops retrying)."""
    fw, question, where, question_id = target.fw, target.question, target.section, target.id
    if request.POST.get("dont_know") == "1":
        raw: object = "dont_know"
    elif question.type == "multiple":
        raw = request.POST.getlist("value")
    else:
        raw = request.POST.get("value", "")
    try:
        cleaned = clean_answer(
            question,
            raw,
            request.POST.get("evidence_text", ""),
            request.POST.get("evidence_links", ""),
            _lang(),
        )
    except InvalidAnswer as exc:
        return _state(request, question_id, "invalid", reason_of(exc), 422, getattr(exc, "field", "value"))
    stored = {a.question_id: a.value for a in response.answers.exclude(question_id=question_id)}
    if cleaned.value and not applicable(fw, stored | {question_id: cleaned.value}).get(question_id, True):
        return _state(request, question_id, "invalid", _("This question does not apply, given an earlier answer."), 422)
    changes = {
        "value": cleaned.value,
        "evidence_text": cleaned.evidence_text,
        "evidence_links": cleaned.evidence_links,
    }
    try:
        base = int(request.POST.get("version", "0"))
        key = uuid.UUID(request.POST["edit_key"]) if request.POST.get("edit_key") else None
    except ValueError:
        return _state(request, question_id, "invalid", _("The form is damaged; reload the page."), 400)
    try:
        result = save_answer(
            response, question_id, request.user, changes=changes, base_version=base, edit_key=key, now=now()
        )
    except Refused as exc:
        return _state(request, question_id, "refused", exc.message, exc.status)
    except KeyReused:
        return _state(request, question_id, "invalid", _("This change was already saved differently; reload."), 422)
    if result.outcome == "conflict":
        theirs = result.answer
        page = render(
            request,
            "questionnaire/_conflict.html",
            {
                "qid": question_id,
                "theirs": theirs,
                # the same person in another window or tab: not "someone else"
                "own": theirs is not None and theirs.updated_by_id == request.user.pk,
                "response": response,
                "theirs_label": describe(
                    question, theirs.value if theirs else "", theirs.evidence_text if theirs else ""
                ),
                "mine_label": describe(question, changes["value"], changes["evidence_text"]),
            },
            status=409,
        )
        return reswap(retarget(page, f"#c-{question_id}"), "innerHTML")
    # links are stored in canonical form (www.x → https://www.x, repeats dropped): say so, and the page shows them
    sent_links = "\n".join(request.POST.get("evidence_links", "").split())
    rewritten = cleaned.evidence_links if cleaned.evidence_links != sent_links else None
    state = render_to_string(
        "questionnaire/_state.html",
        {"state": "saved", "answer": result.answer, "qid": question_id, "links": rewritten},
        request,
    )
    if result.outcome != "saved":  # a repeated request: nothing changed, the bars are right
        return HttpResponse(state)
    if result.confirmed:  # the "carried over — please confirm" note goes (an out-of-band swap)
        state += render_to_string("questionnaire/_carried.html", {"qid": question_id, "oob": True}, request)
    # the progress bars follow every save (an out-of-band swap of the section page's #progress)
    ctx = {"response": response, "oob": True, **_progress(request, response, _values(response))}
    ctx["section"] = where
    ctx["current"] = next(r for r in ctx["sections"] if r["section"].id == where.id)
    return HttpResponse(state + render_to_string("questionnaire/_progress.html", ctx, request))


def reason_of(exc: InvalidAnswer) -> str:
    """An answer's refusal in the page language (the framework gives English and French reasons)."""
    in_language = getattr(exc, "reason_in", None)
    return in_language(_lang()) if callable(in_language) else exc.reason


@perm.response_view()
def question_block(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    """One question as stored now (used by "use their version" after a conflict)."""
    fw, question, where = _question_in(response, question_id)
    answers = _values(response)
    values = {q: a.value for q, a in answers.items()}
    [row] = _question_rows(request, response, [question], answers, values, where.id)
    return render(request, "questionnaire/_question.html", {"row": row, "response": response, "text_max": TEXT_MAX})


def _files_block(request, response, question_id, *, status=200, **extra) -> HttpResponse:
    answer = response.answers.filter(question_id=question_id).first()
    editable = workflow.answer_is_editable(response, answer)
    ctx = {"qid": question_id, "files": evidence.files_of(answer), "response": response, "editable": editable}
    return render(request, "questionnaire/_files.html", ctx | extra, status=status)


@city_changes_answer(_refused_files)
def upload(request: AuthedRequest, response: Response, target: Target) -> HttpResponse:
    question_id = target.id
    f = request.FILES.get("file")
    problem = evidence.problem_with(f)
    if problem or f is None:
        return _files_block(request, response, question_id, status=422, problem=problem)
    try:
        ev = evidence.add(response, question_id, f, request.user, now())
    except Refused as exc:
        return _files_block(request, response, question_id, status=exc.status, problem=exc.message)
    return _files_block(request, response, question_id, uploaded=ev.original_name)


@city_changes_answer(_refused_files)
def remove_file(request: AuthedRequest, response: Response, target: Target, file_id: int) -> HttpResponse:
    question_id = target.id
    try:
        ev = evidence.remove(response, question_id, file_id, request.user, now())
    except Refused as exc:
        return _files_block(request, response, question_id, status=exc.status, problem=exc.message)
    return _files_block(request, response, question_id, removed=ev.original_name)


@perm.response_view()
def download(request: AuthedRequest, response: Response, file_id: int) -> FileResponse:
    ev = get_object_or_404(EvidenceFile, pk=file_id, answer__response=response, removed=False)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)


FIELD_NAMES = {
    "value": gettext_lazy("answer"),
    "evidence_text": gettext_lazy("evidence example"),
    "evidence_links": gettext_lazy("links"),
    "file": gettext_lazy("file"),
    "review": gettext_lazy("review"),
}
SOURCES = {
    "web": gettext_lazy("on the page"),
    "xlsx": gettext_lazy("spreadsheet upload"),
    "review": gettext_lazy("expert review"),
    "demo": gettext_lazy("demo data"),
    "carry_over": gettext_lazy("carried over from an earlier edition"),
}


def readable_change(question, change: AnswerChange) -> dict:
    """A history row as people read it: the field's name, values as labels, review states by name."""
    reviews = dict(Answer.Review.choices)

    def shown(text: str) -> str:
        if change.field == "value":
            return describe(question, text) if text else "—"
        if change.field == "review":
            state, _sep, comment = text.partition(": ")
            label = str(reviews.get(state, state)) if state else "—"
            return f"{label}: {comment}" if comment else label
        return text or "—"

    row = {
        "at": change.at,
        "user": change.user.username if change.user else "—",
        "field": FIELD_NAMES.get(change.field, change.field),
        "old": shown(change.old),
        "new": shown(change.new) if change.new or change.field != "file" else _("(removed)"),
        "source": SOURCES.get(change.source, change.source),
    }
    if change.field == CARRIED_MARK:  # the mark "carried over — please confirm": set (new = year) or cleared
        if change.new:
            row["field"] = _("carried over from %(year)s, to confirm") % {"year": change.new}
        else:
            row["field"] = _("confirmed (carried over from %(year)s)") % {"year": change.old}
        row["old"] = row["new"] = ""
    return row


@perm.response_view()
def history(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    answer = get_object_or_404(Answer, response=response, question_id=question_id)
    fw = definition_of(response.edition)
    q = fw.question(question_id)
    return render(
        request,
        "questionnaire/history.html",
        {
            "response": response,
            "answer": answer,
            "text": text_in(q.text, _lang()),
            "changes": [readable_change(q, c) for c in answer.changes.select_related("user")],
            "messages_": answer.messages.select_related("user"),
        },
    )


@perm.response_view()
def xlsx_download(request: AuthedRequest, response: Response) -> HttpResponse:
    fw = definition_of(response.edition)
    read_at = now()  # before the answers are read: a change made while the file is written counts as later
    stored = list(response.answers.all())
    shown = applicable(fw, {a.question_id: a.value for a in stored})
    # an answer to a question that no longer applies (its controlling answer changed) is left out of the file
    answers = {
        a.question_id: AnswerValue(a.value, a.evidence_text, a.evidence_links)
        for a in stored
        if shown.get(a.question_id, True)
    }
    buffer = io.BytesIO()
    export_response(
        fw,
        buffer,
        city=response.city.name,
        edition=response.edition.year,
        language=_lang(),
        answers=answers,
        locked=not response.is_editable_by_city,
        exported_at=read_at,
        carried={a.question_id: a.carried_over_from for a in stored if a.carried_over_from is not None},
    )
    name = f"icc-{response.edition.year}-{response.city.slug}.xlsx"
    out = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    out["Content-Disposition"] = f'attachment; filename="{name}"'
    return out


@require_POST
@perm.response_view()
def xlsx_upload(request: AuthedRequest, response: Response) -> HttpResponse:
    """Apply an edited spreadsheet: every cell is checked; everything is applied, or nothing."""
    fw = definition_of(response.edition)
    if not perm.can_edit_area(request.user, response, "facts") or response.status != Response.Status.DRAFT:
        raise PermissionDenied(_("Only a city official who may edit every section can import a draft response."))
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("Choose the XLSX file to upload."))
        return redirect("questionnaire:detail", response_id=response.pk)
    file_name = f.name or "upload.xlsx"
    if (f.size or 0) > UPLOAD_MAX:
        messages.error(
            request,
            _("%(file)s is %(size)s MB; a questionnaire workbook is at most %(limit)d MB. Nothing was changed.")
            % {
                "file": file_name,
                "size": number_format((f.size or 0) / 1024 / 1024, decimal_pos=1),
                "limit": UPLOAD_MAX // (1024 * 1024),
            },
        )
        return redirect("questionnaire:detail", response_id=response.pk)
    read = read_response_file(
        fw, f, language=_lang(), file_name=file_name, city=response.city.name, edition=response.edition.year
    )
    values, problems = read.values, read.problems
    editable = perm.editable_areas(request.user, response)
    if editable is not None:
        from icc.framework import Problem

        where = section_of(fw)
        for qid in values:
            if qid in where and where[qid].id not in editable:
                reason = _("%(qid)s: you are not assigned to the section %(section)s") % {
                    "qid": qid,
                    "section": where[qid].title(_lang()),
                }
                problems.append(Problem(file_name, "answers", None, "question_id", reason))
    if problems:
        return render(
            request, "questionnaire/detail.html", _detail_context(request, response, problems=problems), status=422
        )
    try:
        changed = import_answers(
            response,
            values,
            request.user,
            now(),
            exported_at=read.exported_at,
            confirmed=_confirmed_overwrites(request.POST.getlist("overwrite"))
            if request.POST.get("confirm_overwrite") == "1"
            else None,
        )
    except OutdatedFile as exc:
        outdated = [
            {
                "qid": o.question_id,
                "section": section_of(fw)[o.question_id] if o.question_id in section_of(fw) else None,
                "text": text_in(fw.question(o.question_id).text, _lang()),
                "stored": describe(fw.question(o.question_id), o.stored.value, o.stored.evidence_text),
                "in_file": describe(fw.question(o.question_id), o.in_file.value, o.in_file.evidence_text),
                "at": o.updated_at,
                "who": o.updated_by,
                "version": o.version,
            }
            for o in exc.answers
        ]
        ctx = _detail_context(request, response, outdated=outdated, outdated_file=file_name)
        ctx.update(outdated_reason=exc.message, exported_at=exc.exported_at)
        return render(request, "questionnaire/detail.html", ctx, status=exc.status)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect("questionnaire:detail", response_id=response.pk)
    messages.success(request, _changed_message(response, fw, changed, file_name))
    return redirect("questionnaire:detail", response_id=response.pk)


CHANGED_LISTED = 20
"""Most answers an import's success message names (one more line says how many others changed)."""


def _changed_message(response: Response, fw: Framework, changed: list[str], file_name: str) -> str:
    """What an import changed: how many answers, and the first :data:`CHANGED_LISTED` of them by question (id and
    text), each linked to its history."""
    head = ngettext("%(n)d answer changed from %(file)s", "%(n)d answers changed from %(file)s", len(changed)) % {
        "n": len(changed),
        "file": file_name,
    }
    if not changed:
        return head + "."
    items = [
        format_html(
            '<a href="{}">{}</a> ({})',
            reverse("questionnaire:history", args=[response.pk, qid]),
            text_in(fw.question(qid).text, _lang()),
            qid,
        )
        for qid in changed[:CHANGED_LISTED]
    ]
    rest = len(changed) - CHANGED_LISTED
    more = ngettext("and %(n)d other answer.", "and %(n)d other answers.", rest) % {"n": rest} if rest > 0 else ""
    return format_html(
        "{}: {}{}",
        head,
        mark_safe("; ".join(items)),  # noqa: S308 - every part is escaped by format_html
        format_html(" {}", more) if more else ".",
    )


def _confirmed_overwrites(raw: list[str]) -> dict[str, int]:
    """The overwrites confirmed on the re-upload form: ``question_id:version`` fields (malformed ones ignored)."""
    out = {}
    for item in raw[:500]:
        qid, _sep, version = item.partition(":")
        if qid and version.isdigit() and len(version) <= 9:
            out[qid] = int(version)
    return out


def _refused(request: AuthedRequest, response: Response, exc: Refused) -> HttpResponse:
    """The response's page with the reason a state change was refused, and its status (409: the response's state
    changed meanwhile, e.g. a repeated submission; 422: something to fix first)."""
    messages.error(request, exc.message)
    return render(request, "questionnaire/detail.html", _detail_context(request, response), status=exc.status)


@require_POST
@perm.response_view(perm.is_coordinator_of)  # the state is checked by the transition (a repeat is a 409)
def submit(request: AuthedRequest, response: Response) -> HttpResponse:
    fw = definition_of(response.edition)
    try:
        reviewing.submit(
            response,
            fw,
            request.user,
            now(),
            request.POST.get("comment", ""),
            confirm_untouched=request.POST.get("confirm_untouched") == "1",
        )
    except reviewing.NotReady as exc:
        where = section_of(fw)

        def listed(question_ids: list[str]) -> list[tuple]:
            return [
                (qid, where[qid], text_in(fw.question(qid).text, _lang()), where[qid].title(_lang()))
                for qid in question_ids
                if qid in where
            ]

        reasons = {"missing": listed(exc.missing), "unconfirmed": listed(exc.unconfirmed)}
        reasons["untouched"] = listed(exc.untouched)
        return render(request, "questionnaire/detail.html", _detail_context(request, response, **reasons), status=422)
    except Refused as exc:
        return _refused(request, response, exc)
    messages.success(request, _("Submitted. The response is locked while the expert reviews it."))
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.is_coordinator_of)
def withdraw(request: AuthedRequest, response: Response) -> HttpResponse:
    try:
        reviewing.withdraw(response, request.user, now(), request.POST.get("comment", ""))
    except Refused as exc:
        return _refused(request, response, exc)
    messages.success(request, _("The submission is withdrawn: the city can change its answers again."))
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.is_coordinator_of)
def carry_over(request: AuthedRequest, response: Response) -> HttpResponse:
    """The coordinator starts the response from the city's answers to an earlier edition (see :mod:`.carry_over`)."""
    try:
        outcome = carrying.carry_over(response, request.user, now())
    except Refused as exc:
        return _refused(request, response, exc)
    if not outcome.copied:
        messages.info(
            request,
            _("Nothing was carried over from %(year)s: every question it answered is already answered here.")
            % {"year": outcome.source_year},
        )
        return redirect("questionnaire:detail", response_id=response.pk)
    text = ngettext(
        "%(n)d answer carried over from %(year)s: please confirm or change it.",
        "%(n)d answers carried over from %(year)s: please confirm or change each of them.",
        outcome.copied,
    ) % {"n": outcome.copied, "year": outcome.source_year}
    if outcome.files_left:
        text += " " + ngettext(
            "%(n)d evidence file was not carried over: attach it again where it is still needed.",
            "%(n)d evidence files were not carried over: attach them again where they are still needed.",
            outcome.files_left,
        ) % {"n": outcome.files_left}
    messages.success(request, text)
    return redirect("questionnaire:detail", response_id=response.pk)


@city_changes_answer(_refused_reply)
def confirm(request: AuthedRequest, response: Response, target: Target) -> HttpResponse:
    """The city confirms a carried-over answer as it is (the same save as any other: :func:`.editing.save_answer`).
    htmx: the question is drawn again (409 with the stored answer when someone changed it meanwhile); without
    JavaScript: back to the question on its section page."""
    try:
        base = int(request.POST.get("version", "0"))
    except ValueError:
        return _state(request, target.id, "invalid", _("The form is damaged; reload the page."), 400)
    answer = response.answers.filter(question_id=target.id).first()
    status = 200
    if answer is not None and answer.carried_over_from is not None:  # else: confirmed already, nothing to do
        try:
            result = save_answer(
                response, target.id, request.user, changes={}, base_version=base, edit_key=None, now=now()
            )
        except Refused as exc:
            raise PermissionDenied(exc.message) from exc
        status = 409 if result.outcome == "conflict" else 200
    if request.headers.get("HX-Request") != "true":  # a plain form post (no JavaScript)
        if status == 409:
            messages.error(request, _("Someone changed this answer meanwhile: check it and confirm again."))
        url = reverse("questionnaire:section", args=[response.pk, target.section.id]) + f"#q-{target.id}"
        return redirect(url)
    answers = _values(response)
    values = {q: a.value for q, a in answers.items()}
    [row] = _question_rows(request, response, [target.question], answers, values, target.section.id)
    ctx = {"row": row, "response": response, "text_max": TEXT_MAX, "conflict": status == 409}
    return render(request, "questionnaire/_question.html", ctx, status=status)


@require_POST
@perm.response_view()
def confirm_section(request: AuthedRequest, response: Response, section_id: str) -> HttpResponse:
    """Confirm every carried-over answer of a section as it is (one transaction, a history row per answer)."""
    section = {s.id: s for s in sections(definition_of(response.edition))}.get(section_id)
    if section is None:
        raise Http404(_("No such section"))
    why_not = _may_not_edit(request, response, section.id)
    if why_not:
        raise PermissionDenied(why_not)
    try:
        n = carrying.confirm_section(response, [q.id for q in section.questions], request.user, now())
    except Refused as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(
        request,
        ngettext(
            "%(n)d carried-over answer of this section confirmed.",
            "%(n)d carried-over answers of this section confirmed.",
            n,
        )
        % {"n": n},
    )
    return redirect("questionnaire:section", response_id=response.pk, section_id=section.id)


@city_changes_answer(_refused_reply)
def reply(request: AuthedRequest, response: Response, target: Target) -> HttpResponse:
    """The city answers the expert's comment on a returned answer (htmx: the thread is redrawn)."""
    question_id = target.id
    problem = ""
    status = 200
    try:
        reviewing.reply(response, question_id, request.user, request.POST.get("text", ""), now())
    except Refused as exc:
        problem, status = exc.message, exc.status
    answer = response.answers.filter(question_id=question_id).first()
    return render(
        request,
        "questionnaire/_thread.html",
        {
            "response": response,
            "qid": question_id,
            "thread": list(answer.messages.select_related("user")) if answer else [],
            "can_reply": not problem or status == 422,
            "problem": problem,
        },
        status=status,
    )


@perm.response_view(perm.is_expert_of)
def review(request: AuthedRequest, response: Response) -> HttpResponse:
    if not perm.can_review(request.user, response):  # e.g. returned to the city: say so on the response's page
        messages.info(
            request,
            _("This response is %(status)s: you can review it when the city submits it.")
            % {"status": str(response.get_status_display()).lower()},
        )
        return redirect("questionnaire:detail", response.pk)
    ctx = _context(request, response)
    fw = ctx["framework"]
    answers = ctx["answers"]
    values = {q: a.value for q, a in answers.items()}
    groups = []
    for s in sections(fw):
        rows = _question_rows(request, response, s.questions, answers, values, s.id)
        for row in rows:
            row["shown"] = describe(row["q"], row["a"].value) if row["a"] else "—"
            if row["a"] is not None:  # the mark of each answer and the summary's counts follow one rule
                row["review_state"] = reviewing.state_of(row["a"])
                row["review_label"] = REVIEW_LABELS[row["review_state"]]
        groups.append({"id": s.id, "title": s.title(_lang()), "rows": rows})
    ctx["groups"] = groups
    ctx["counts"] = reviewing.counts(fw, list(answers.values()))
    ctx["submission"] = reviewing.last_submission(response)
    return render(request, "questionnaire/review.html", ctx)


REVIEW_LABELS = dict(Answer.Review.choices)


@require_POST
@perm.response_view(perm.is_expert_of)  # the state is checked by the decision (after the review: 409)
def review_answer(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    answer = get_object_or_404(Answer, response=response, question_id=question_id)
    try:
        answer = reviewing.decide(
            response,
            question_id,
            request.user,
            request.POST.get("decision", ""),
            request.POST.get("comment", ""),
            now(),
        )
    except Refused as exc:
        page = render(
            request, "questionnaire/_review_state.html", {"answer": answer, "problem": exc.message}, status=exc.status
        )
        page["X-Answer-State"] = "refused"
        return page
    state = render_to_string("questionnaire/_review_state.html", {"answer": answer}, request)
    summary = render_to_string(
        "questionnaire/_review_summary.html",
        {"counts": reviewing.counts(definition_of(response.edition), list(response.answers.all())), "oob": True},
        request,
    )
    return HttpResponse(state + summary)


@require_POST
@perm.response_view(perm.is_expert_of)  # the state is checked by the transition (a repeat is a 409)
def finish_review(request: AuthedRequest, response: Response) -> HttpResponse:
    try:
        event = reviewing.finish(response, request.user, now(), request.POST.get("comment", ""))
    except Refused as exc:
        return _refused(request, response, exc)
    if event.to_status == Response.Status.RETURNED:
        returned = response.answers.filter(review=Answer.Review.RETURNED).count()
        messages.success(
            request,
            ngettext("%(n)d answer returned to the city.", "%(n)d answers returned to the city.", returned)
            % {"n": returned},
        )
    else:
        messages.success(request, _("The response is validated."))
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.is_coordinator_of)
def assign(request: AuthedRequest, response: Response) -> HttpResponse:
    """The coordinator gives a section to a colleague of the same city (or takes it back); the colleague is told."""
    fw = definition_of(response.edition)
    by_id = {s.id: s for s in sections(fw)}
    section = by_id.get(request.POST.get("section", ""))
    raw_user = request.POST.get("user", "")
    if section is None or not raw_user.isdigit() or len(raw_user) > 12:
        messages.error(request, _("Choose a section and a colleague from the lists."))
        return redirect("questionnaire:detail", response_id=response.pk)
    colleague = User.objects.filter(pk=int(raw_user), assignments__city=response.city, role="official").first()
    if colleague is None:
        messages.error(request, _("This colleague is not an official of %(city)s.") % {"city": response.city})
        return redirect("questionnaire:detail", response_id=response.pk)
    removing = bool(request.POST.get("remove"))
    audit.assign_section(response, section, colleague, request.user, now(), removing=removing)
    return redirect("questionnaire:detail", response_id=response.pk)


@secretariat_only
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    """Every change of every answer, every message about a returned answer, every state change and every other
    recorded event (editions, invitations, assignments), as CSV (text that a spreadsheet would run as a formula
    is escaped)."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def row(*cells) -> str:
        return writer.writerow([csv_safe(str(c)) if isinstance(c, str) else c for c in cells])

    def rows():
        yield row("at", "user", "city", "edition", "question_id", "field", "old", "new", "source")
        changes = AnswerChange.objects.select_related("user", "answer__response__city", "answer__response__edition")
        for c in changes.order_by("at", "pk").iterator(chunk_size=2000):
            r = c.answer.response
            who = c.user.username if c.user else ""
            yield row(
                c.at.isoformat(),
                who,
                r.city.name,
                r.edition.year,
                c.answer.question_id,
                c.field,
                c.old,
                c.new,
                c.source,
            )
        for m in ReviewMessage.objects.select_related("user", "answer__response__city", "answer__response__edition"):
            r = m.answer.response
            who = m.user.username if m.user else ""
            yield row(
                m.at.isoformat(),
                who,
                r.city.name,
                r.edition.year,
                m.answer.question_id,
                "message",
                "",
                m.text,
                "review",
            )
        for e in ResponseEvent.objects.select_related("user", "response__city", "response__edition").order_by("at"):
            who = e.user.username if e.user else ""
            r = e.response
            yield row(
                e.at.isoformat(), who, r.city.name, r.edition.year, "", "status", e.from_status, e.to_status, e.comment
            )
        for a in AuditEvent.objects.select_related("user", "city", "edition").order_by("at", "pk"):
            who = a.user.username if a.user else ""
            city = a.city.name if a.city else ""
            year = a.edition.year if a.edition else ""
            yield row(a.at.isoformat(), who, city, year, "", a.action, "", a.detail, "platform")

    out = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = 'attachment; filename="icc-audit-log.csv"'
    return out
