"""Evidence files: what may be uploaded (type by extension *and* content, size, not empty), adding and removing.

A removed file is only marked ``removed`` (it disappears from the page and downloads, the history keeps that it
was there and who removed it); the file itself leaves the disk when its response is deleted.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from . import workflow
from .editing import save_answer
from .models import Answer, AnswerChange, EvidenceFile, Response
from .workflow import Refused

TEXT_TYPES = frozenset({"csv", "txt"})
ALIASES = {"jpeg": "jpg"}
NAME_MAX = 255


def keep_extension(name: str, limit: int = NAME_MAX) -> str:
    """A file name shortened to ``limit`` characters without losing its extension.

    >>> keep_extension("a" * 300 + ".pdf")[-8:], len(keep_extension("a" * 300 + ".pdf"))
    ('aaaa.pdf', 255)
    """
    name = PurePath(name.replace("\\", "/")).name.strip() or "file"
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix[:20]
    return name[: limit - len(suffix)] + suffix


def _content_matches(ext: str, head: bytes) -> bool:
    """Whether the first bytes of a file are what its extension says (text files: UTF-8 or Latin text)."""
    if ext in TEXT_TYPES:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    return False
        return True
    kind = filetype.guess(head)
    if kind is None:
        return False
    found = ALIASES.get(kind.extension, kind.extension)
    wanted = ALIASES.get(ext, ext)
    if found == wanted:
        return True
    # an OpenDocument or OOXML file whose first member the sniffer cannot place is at least a zip
    return wanted in {"docx", "xlsx", "odt", "ods"} and found == "zip"


def problem_with(f: UploadedFile | None) -> str | None:
    """Why an uploaded file is refused (translated), or None when it may be kept."""
    name = (f.name or "") if f is not None else ""
    if f is None or not name:
        return _("Choose a file first.")
    ext = PurePath(name).suffix.lower().lstrip(".")
    size = f.size or 0
    if ext not in settings.UPLOAD_EXTENSIONS:
        return _("Files of type .%(ext)s are not accepted; allowed: %(allowed)s.") % {
            "ext": ext or "?",
            "allowed": ", ".join(settings.UPLOAD_EXTENSIONS),
        }
    if size == 0:
        return _("The file %(name)s is empty.") % {"name": name}
    if size > settings.UPLOAD_MAX_BYTES:
        return _("The file is %(size).1f MB; the limit is %(limit)d MB.") % {
            "size": size / 1024 / 1024,
            "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
        }
    f.seek(0)
    head = f.read(8192)
    f.seek(0)
    if not _content_matches(ext, head):
        return _("The file %(name)s is not a .%(ext)s file (its content is of another type).") % {
            "name": name,
            "ext": ext,
        }
    return None


def add(response: Response, question_id: str, f: UploadedFile, user, now: datetime) -> EvidenceFile:
    """Keep an uploaded file as evidence of an answer (creating an empty answer if there is none yet)."""
    name = keep_extension(f.name or "file")
    with transaction.atomic():
        locked = workflow.lock(response)
        answer = Answer.objects.select_for_update().filter(response=locked, question_id=question_id).first()
        if not workflow.answer_is_editable(locked, answer):
            raise Refused(workflow.why_not_editable(locked, answer), status=403)
        if answer is None:
            save_answer(locked, question_id, user, changes={}, base_version=0, edit_key=None, now=now)
            answer = Answer.objects.get(response=locked, question_id=question_id)
        elif locked.status == Response.Status.RETURNED and answer.review == Answer.Review.RETURNED:
            answer.review = Answer.Review.CORRECTED
            answer.save(update_fields=["review"])
        ev = EvidenceFile(
            answer=answer,
            original_name=name,
            content_type=(f.content_type or "")[:120],
            size=f.size or 0,
            uploaded_by=user,
            uploaded_at=now,
        )
        ev.file.save(name, f, save=False)
        ev.save()
        AnswerChange.objects.create(answer=answer, field="file", old="", new=name, user=user, at=now)
    return ev


def remove(response: Response, question_id: str, file_id: int, user, now: datetime) -> EvidenceFile:
    """Take a file off an answer; the history records who removed it and when."""
    with transaction.atomic():
        locked = workflow.lock(response)
        answer = Answer.objects.select_for_update().filter(response=locked, question_id=question_id).first()
        ev = EvidenceFile.objects.filter(pk=file_id, answer=answer, removed=False).first() if answer else None
        if ev is None:
            raise Refused(_("This file is not attached to this answer (it may have been removed already)."), 404)
        if not workflow.answer_is_editable(locked, answer):
            raise Refused(workflow.why_not_editable(locked, answer), status=403)
        ev.removed = True
        ev.save(update_fields=["removed"])
        assert answer is not None
        if locked.status == Response.Status.RETURNED and answer.review == Answer.Review.RETURNED:
            answer.review = Answer.Review.CORRECTED
            answer.save(update_fields=["review"])
        AnswerChange.objects.create(answer=answer, field="file", old=ev.original_name, new="", user=user, at=now)
    return ev


def files_of(answer: Answer | None) -> list[EvidenceFile]:
    return [f for f in answer.files.all() if not f.removed] if answer else []
