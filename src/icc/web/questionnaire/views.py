"""Filling, reviewing and publishing a response. Every view checks access through icc.web.accounts.permissions."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from icc.framework.answers import AnswerValue, InvalidAnswer, applicable, missing_required, normalise_value, progress
from icc.framework.response_xlsx import export_response, read_response
from icc.web.accounts import permissions as perm
from icc.web.accounts.models import User
from icc.web.accounts.permissions import AuthedRequest
from icc.web.results.queries import definition_of

from .editing import change_status, import_answers, save_answer
from .models import Answer, AnswerChange, AreaAssignment, EvidenceFile, Response
from .sections import section_of, sections


def now() -> datetime:
    return datetime.now(UTC)


def _lang() -> str:
    return (get_language() or "en")[:2]


def _values(response: Response) -> dict[str, Answer]:
    return {a.question_id: a for a in response.answers.all()}


def _progress(request: AuthedRequest, response: Response, answers: dict[str, Answer]) -> dict:
    """Answered / applicable questions per section and overall (skip logic applied), for the progress bars."""
    fw = definition_of(response.edition)
    prog = progress(fw, {q: a.value for q, a in answers.items()})
    lang = _lang()
    can_edit = perm.area_editor(request.user, response)
    rows = []
    for s in sections(fw):
        done, total = prog.get(s.id, (0, 0))
        rows.append(
            {
                "section": s,
                "title": s.title(lang),
                "done": done,
                "total": total,
                "pct": round(100 * done / total) if total else 100,
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
        "overall": {"done": done, "total": total, "pct": round(100 * done / total) if total else 100},
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
        "events": response.events.select_related("user"),
    }


@login_required
def response_list(request: AuthedRequest) -> HttpResponse:
    responses = perm.visible_responses(request.user).order_by("-edition__year", "city__name")
    return render(request, "questionnaire/list.html", {"responses": responses})


@perm.response_view()
def response_detail(request: AuthedRequest, response: Response) -> HttpResponse:
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
    return render(request, "questionnaire/detail.html", ctx)


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
        editable = can_edit_section and (
            response.status != Response.Status.RETURNED or (a is not None and a.review == Answer.Review.RETURNED)
        )
        rows.append(
            {
                "q": q,
                "a": a,
                "text": q.text.get(lang) or q.text["en"],
                "help": (q.help or {}).get(lang) or (q.help or {}).get("en", ""),
                "options": [(o.id, o.label.get(lang) or o.label["en"]) for o in q.options],
                "selected": set((a.value if a else "").split(";")),
                "applies_if": q.applies_if.model_dump(by_alias=True) if q.applies_if else None,
                "hidden": not shown.get(q.id, True),
                "editable": editable,
                "files": [f for f in (a.files.all() if a else []) if not f.removed],
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
        raise Http404("No such section")
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
            "upload_max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "upload_types": ", ".join(settings.UPLOAD_EXTENSIONS),
        }
    )
    return render(request, "questionnaire/section.html", ctx)


def _number(value: str) -> str:
    """A stored number in the page language: thousands grouped, no decimals for a whole number."""
    x = float(value)
    return number_format(int(x) if x.is_integer() else x, force_grouping=True)


def describe(question, value: str, evidence: str = "") -> str:
    """An answer as a person reads it: option labels in the page language, "Don't know", the evidence text."""
    lang = _lang()
    labels = {o.id: o.label.get(lang) or o.label["en"] for o in question.options}
    if value == "dont_know":
        shown = _("Don't know")
    elif question.options:
        shown = ", ".join(labels.get(v, v) for v in value.split(";") if v) or _("(no answer)")
    elif value and question.type == "percentage":
        shown = f"{_number(value)} %"
    elif value and question.type == "number":
        shown = f"{_number(value)} {question.unit or ''}".strip()
    else:
        shown = value or _("(no answer)")
    return f"{shown} — {evidence}" if evidence else shown


def _editable_answer(request: AuthedRequest, response: Response, question_id: str):
    fw = definition_of(response.edition)
    where = section_of(fw).get(question_id)
    if where is None:
        raise Http404("No such question")
    if not perm.can_edit_area(request.user, response, where.id):
        raise PermissionDenied("You may not edit this answer")
    answer = response.answers.filter(question_id=question_id).first()
    if response.status == Response.Status.RETURNED and (answer is None or answer.review != Answer.Review.RETURNED):
        raise PermissionDenied("Only the answers returned by the expert can be changed now")
    return fw, fw.question(question_id), answer


@require_POST
@perm.response_view()
def save(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    """Autosave of one answer (htmx). 200 saved, 409 conflict (both values shown), 422 invalid value."""
    fw, question, _answer = _editable_answer(request, response, question_id)
    changes: dict[str, str] = {}
    if "value" in request.POST or "value_multi" in request.POST:
        raw = ";".join(request.POST.getlist("value")) if question.type == "multiple" else request.POST.get("value")
        if request.POST.get("dont_know") == "1":
            raw = "dont_know"
        try:
            changes["value"] = normalise_value(question, raw, _lang())
        except InvalidAnswer as exc:
            return render(
                request,
                "questionnaire/_state.html",
                {"state": "invalid", "reason": str(exc), "qid": question_id},
                status=422,
            )
    for field in ("evidence_text", "evidence_links"):
        if field in request.POST:
            changes[field] = request.POST[field].strip()
    try:
        base = int(request.POST.get("version", "0"))
        key = uuid.UUID(request.POST["edit_key"]) if request.POST.get("edit_key") else None
    except ValueError:
        return HttpResponse("Bad version or edit key", status=400)
    result = save_answer(
        response, question_id, request.user, changes=changes, base_version=base, edit_key=key, now=now()
    )
    if result.outcome == "conflict":
        theirs = result.answer
        mine = {"value": "", "evidence_text": "", "evidence_links": ""} | changes
        page = render(
            request,
            "questionnaire/_conflict.html",
            {
                "qid": question_id,
                "theirs": theirs,
                "response": response,
                "theirs_label": describe(
                    question, theirs.value if theirs else "", theirs.evidence_text if theirs else ""
                ),
                "mine_label": describe(question, mine["value"], mine["evidence_text"]),
            },
            status=409,
        )
        return reswap(retarget(page, f"#c-{question_id}"), "innerHTML")
    state = render_to_string(
        "questionnaire/_state.html", {"state": "saved", "answer": result.answer, "qid": question_id}, request
    )
    if result.outcome != "saved":  # a repeated request: nothing changed, the bars are right
        return HttpResponse(state)
    # the progress bars follow every save (an out-of-band swap of the section page's #progress)
    ctx = {"response": response, "oob": True, **_progress(request, response, _values(response))}
    ctx["section"] = section_of(fw)[question_id]
    ctx["current"] = next(r for r in ctx["sections"] if r["section"].id == ctx["section"].id)
    return HttpResponse(state + render_to_string("questionnaire/_progress.html", ctx, request))


@perm.response_view()
def question_block(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    """One question as stored now (used by "use their version" after a conflict)."""
    fw = definition_of(response.edition)
    where = section_of(fw).get(question_id)
    if where is None:
        raise Http404("No such question")
    answers = _values(response)
    values = {q: a.value for q, a in answers.items()}
    [row] = _question_rows(request, response, [fw.question(question_id)], answers, values, where.id)
    return render(request, "questionnaire/_question.html", {"row": row, "response": response})


@require_POST
@perm.response_view()
def upload(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    fw, question, answer = _editable_answer(request, response, question_id)
    f = request.FILES.get("file")
    name = (f.name or "") if f is not None else ""
    size = (f.size or 0) if f is not None else 0
    ext = Path(name).suffix.lower().lstrip(".")
    problem = None
    if f is None or not name:
        problem = _("Choose a file first.")
    elif ext not in settings.UPLOAD_EXTENSIONS:
        problem = _("Files of type .%(ext)s are not accepted; allowed: %(allowed)s.") % {
            "ext": ext or "?",
            "allowed": ", ".join(settings.UPLOAD_EXTENSIONS),
        }
    elif size > settings.UPLOAD_MAX_BYTES:
        problem = _("The file is %(size).1f MB; the limit is %(limit)d MB.") % {
            "size": size / 1024 / 1024,
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        }
    if problem or f is None:
        return render(
            request,
            "questionnaire/_files.html",
            {"problem": problem, "qid": question_id, "files": _files(answer), "response": response},
            status=422,
        )
    if answer is None:
        result = save_answer(response, question_id, request.user, changes={}, base_version=0, edit_key=None, now=now())
        answer = result.answer or response.answers.get(question_id=question_id)
    stamp = now()
    ev = EvidenceFile(
        answer=answer,
        original_name=name[:255],
        content_type=f.content_type or "",
        size=size,
        uploaded_by=request.user,
        uploaded_at=stamp,
    )
    ev.file.save(name, f, save=False)
    ev.save()
    AnswerChange.objects.create(answer=answer, field="file", old="", new=name, user=request.user, at=stamp)
    return render(
        request,
        "questionnaire/_files.html",
        {"qid": question_id, "files": _files(answer), "response": response, "uploaded": name},
    )


def _files(answer: Answer | None) -> list[EvidenceFile]:
    return [f for f in answer.files.all() if not f.removed] if answer else []


@perm.response_view()
def download(request: AuthedRequest, response: Response, file_id: int) -> FileResponse:
    ev = get_object_or_404(EvidenceFile, pk=file_id, answer__response=response, removed=False)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)


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
            "text": q.text.get(_lang()) or q.text["en"],
            "changes": answer.changes.select_related("user"),
        },
    )


@perm.response_view()
def xlsx_download(request: AuthedRequest, response: Response) -> HttpResponse:
    fw = definition_of(response.edition)
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
        raise PermissionDenied("Only a city official who may edit every area can import a draft response")
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, _("Choose the XLSX file to upload."))
        return redirect("questionnaire:detail", response_id=response.pk)
    file_name = f.name or "upload.xlsx"
    values, problems = read_response(fw, f, language=_lang(), file_name=file_name)
    editable = perm.editable_areas(request.user, response)
    if editable is not None:
        where = section_of(fw)
        for qid in values:
            if qid in where and where[qid].id not in editable:
                from icc.framework import Problem

                problems.append(
                    Problem(
                        file_name,
                        "answers",
                        None,
                        "question_id",
                        f"{qid}: you are not assigned to the section {where[qid].id}",
                    )
                )
    if problems:
        ctx = _context(request, response)
        ctx["problems"] = problems
        return render(request, "questionnaire/detail.html", ctx, status=422)
    shown = applicable(fw, {q: v.value for q, v in values.items()})
    values = {q: v for q, v in values.items() if shown.get(q, True) or v.value or v.evidence_text or v.evidence_links}
    n = import_answers(response, values, request.user, now())
    messages.success(request, _("%(n)d answers changed from %(file)s.") % {"n": n, "file": file_name})
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.can_submit)
def submit(request: AuthedRequest, response: Response) -> HttpResponse:
    fw = definition_of(response.edition)
    values = {a.question_id: a.value for a in response.answers.all()}
    missing = missing_required(fw, values)
    if missing:
        ctx = _context(request, response)
        where = section_of(fw)
        ctx["missing"] = [
            (qid, where[qid], fw.question(qid).text.get(_lang()) or fw.question(qid).text["en"])
            for qid in missing
            if qid in where
        ]
        return render(request, "questionnaire/detail.html", ctx, status=422)
    change_status(response, Response.Status.SUBMITTED, request.user, now(), request.POST.get("comment", ""))
    messages.success(request, _("Submitted. The response is locked while the expert reviews it."))
    return redirect("questionnaire:detail", response_id=response.pk)


@perm.response_view(perm.can_review)
def review(request: AuthedRequest, response: Response) -> HttpResponse:
    ctx = _context(request, response)
    fw = ctx["framework"]
    answers = ctx["answers"]
    values = {q: a.value for q, a in answers.items()}
    groups = []
    for s in sections(fw):
        rows = _question_rows(request, response, s.questions, answers, values, s.id)
        for row in rows:
            row["shown"] = describe(row["q"], row["a"].value) if row["a"] else "—"
        groups.append({"id": s.id, "title": s.title(_lang()), "rows": rows})
    ctx["groups"] = groups
    ctx["counts"] = _review_counts(response, list(answers.values()))
    return render(request, "questionnaire/review.html", ctx)


def _review_counts(response: Response, answers: list[Answer]) -> dict[str, int]:
    """How many of the answers the expert sees (those that apply) are accepted, returned, not reviewed yet."""
    applies = applicable(definition_of(response.edition), {a.question_id: a.value for a in answers})
    seen = [a for a in answers if applies.get(a.question_id, True)]
    return {state: sum(1 for a in seen if a.review == state) for state in Answer.Review.values}


@require_POST
@perm.response_view(perm.can_review)
def review_answer(request: AuthedRequest, response: Response, question_id: str) -> HttpResponse:
    answer = get_object_or_404(Answer, response=response, question_id=question_id)
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "").strip()
    if decision not in ("accepted", "returned"):
        return HttpResponse("decision must be accepted or returned", status=400)
    if decision == "returned" and not comment:
        return render(
            request,
            "questionnaire/_review_state.html",
            {"answer": answer, "problem": _("Say what the city should correct.")},
            status=422,
        )
    old = f"{answer.review}: {answer.review_comment}".strip(": ")
    answer.review = decision
    answer.review_comment = comment if decision == "returned" else ""
    answer.save(update_fields=["review", "review_comment"])
    AnswerChange.objects.create(
        answer=answer,
        field="review",
        old=old,
        new=f"{decision}: {comment}".strip(": "),
        user=request.user,
        at=now(),
        source="review",
    )
    state = render_to_string("questionnaire/_review_state.html", {"answer": answer}, request)
    summary = render_to_string(
        "questionnaire/_review_summary.html",
        {"counts": _review_counts(response, list(response.answers.all())), "oob": True},
        request,
    )
    return HttpResponse(state + summary)


@require_POST
@perm.response_view(perm.can_review)
def finish_review(request: AuthedRequest, response: Response) -> HttpResponse:
    returned = response.answers.filter(review=Answer.Review.RETURNED).count()
    if returned:
        change_status(
            response,
            Response.Status.RETURNED,
            request.user,
            now(),
            request.POST.get("comment", "") or f"{returned} answer(s) returned for correction",
        )
        messages.success(
            request,
            ngettext("%(n)d answer returned to the city.", "%(n)d answers returned to the city.", returned)
            % {"n": returned},
        )
    else:
        response.answers.filter(review=Answer.Review.PENDING).update(review=Answer.Review.ACCEPTED)
        change_status(response, Response.Status.VALIDATED, request.user, now(), request.POST.get("comment", ""))
        messages.success(request, _("The response is validated."))
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.can_publish)
def publish(request: AuthedRequest, response: Response) -> HttpResponse:
    from icc.web.results.scoring import rescore_edition

    change_status(response, Response.Status.PUBLISHED, request.user, now(), request.POST.get("comment", ""))
    rescore_edition(response.edition, now(), is_demo=response.edition.is_demo)
    messages.success(request, _("Published: the scores of %(city)s are public.") % {"city": response.city})
    return redirect("questionnaire:detail", response_id=response.pk)


@require_POST
@perm.response_view(perm.is_coordinator_of)
def assign(request: AuthedRequest, response: Response) -> HttpResponse:
    """The coordinator gives a section to a colleague of the same city (or takes it back)."""
    fw = definition_of(response.edition)
    section_id = request.POST.get("section", "")
    if section_id not in {s.id for s in sections(fw)}:
        raise Http404("No such section")
    colleague = get_object_or_404(User, pk=request.POST.get("user"), assignments__city=response.city, role="official")
    if request.POST.get("remove"):
        AreaAssignment.objects.filter(response=response, area_id=section_id, user=colleague).delete()
    else:
        AreaAssignment.objects.get_or_create(response=response, area_id=section_id, user=colleague)
    return redirect("questionnaire:detail", response_id=response.pk)


@perm.secretariat_only
def audit_export(request: AuthedRequest) -> StreamingHttpResponse:
    """Every change of every answer, and every state change, as CSV."""

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(["at", "user", "city", "edition", "question_id", "field", "old", "new", "source"])
        changes = AnswerChange.objects.select_related("user", "answer__response__city", "answer__response__edition")
        for c in changes.order_by("at", "pk").iterator(chunk_size=2000):
            r = c.answer.response
            yield writer.writerow(
                [
                    c.at.isoformat(),
                    c.user.username if c.user else "",
                    r.city.name,
                    r.edition.year,
                    c.answer.question_id,
                    c.field,
                    c.old,
                    c.new,
                    c.source,
                ]
            )
        from .models import ResponseEvent

        for e in ResponseEvent.objects.select_related("user", "response__city", "response__edition").order_by("at"):
            yield writer.writerow(
                [
                    e.at.isoformat(),
                    e.user.username if e.user else "",
                    e.response.city.name,
                    e.response.edition.year,
                    "",
                    "status",
                    e.from_status,
                    e.to_status,
                    e.comment,
                ]
            )

    out = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    out["Content-Disposition"] = 'attachment; filename="icc-audit-log.csv"'
    return out
