"""A city's response to an edition's questionnaire: answers with evidence, review, history and state changes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from icc.web.network.models import Edition


class Response(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to the city")
        VALIDATED = "validated", _("Validated")
        PUBLISHED = "published", _("Published")

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="responses")
    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="responses")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "edition"], name="one_response_per_city_edition")]

    def __str__(self) -> str:
        return f"{self.city} {self.edition}"

    @property
    def is_editable_by_city(self) -> bool:
        """Draft or returned, in an edition that is still open (closing an edition locks every response)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED) and self.edition.status == Edition.Status.OPEN


class Answer(models.Model):
    """One answer: an option id, option ids joined by ``;``, a number, ``dont_know`` or text, with its evidence.

    ``version`` grows by one at every change; a save that does not name the current version is a conflict.
    ``carried_over_from`` is set while the answer is one copied from an earlier edition that the city has not yet
    confirmed or changed (see :mod:`.carry_over`).
    """

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned with a comment")
        CORRECTED = "corrected", _("Corrected by the city")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=80)
    value = models.TextField(blank=True)
    evidence_text = models.TextField(blank=True)
    evidence_links = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    last_edit = models.UUIDField(null=True, blank=True, help_text="Idempotency key of the last applied edit")
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING)
    review_comment = models.TextField(blank=True)
    returned_snapshot = models.JSONField(
        null=True, blank=True, help_text="value and evidence when the expert returned the answer (for before/after)"
    )
    carried_over_from = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Year of the edition this answer was carried over from, until the city confirms or changes it",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question_id"], name="one_answer_per_question")]

    def snapshot(self) -> dict[str, str]:
        return {"value": self.value, "evidence_text": self.evidence_text, "evidence_links": self.evidence_links}


def upload_path(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.answer.response_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A file backing an answer, stored outside the web root and served only to those allowed to see it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=upload_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField()
    removed = models.BooleanField(default=False)


class AnswerChange(models.Model):
    """One change of an answer or its evidence: who, when, old → new. Never edited or deleted."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)  # value | evidence_text | evidence_links | file | review
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    source = models.CharField(max_length=20, default="web")  # web | xlsx | review | demo | carry_over

    class Meta:
        ordering = ["at", "pk"]


class ResponseEvent(models.Model):
    """A state change of a response: who, when, from → to, with the comment given."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class AreaAssignment(models.Model):
    """The city coordinator gives one area (or sub-area) of a response to a colleague of another department."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="area_assignments")
    area_id = models.CharField(max_length=80)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "area_id", "user"], name="one_area_assignment")]


class ReviewMessage(models.Model):
    """One message of the exchange about a returned answer: the expert's comment, the city's reply, and so on."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]


class AuditEvent(models.Model):
    """Something that changed outside one answer: an edition opened or closed, a city invited, a section assigned,
    a file removed. Answer changes are AnswerChange rows and response state changes ResponseEvent rows."""

    at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=40)
    edition = models.ForeignKey("network.Edition", null=True, blank=True, on_delete=models.SET_NULL)
    city = models.ForeignKey("network.City", null=True, blank=True, on_delete=models.SET_NULL)
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
