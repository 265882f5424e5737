"""The learning network: accession of candidate cities, good practices, study visits, learning clusters, expert
visits, events, the expert roster, intercultural-competence training, joint campaigns and multi-level governance.

Models store and relate; the rules live in modules named after them (:mod:`.moderation`, :mod:`.visits`,
:mod:`.search`, :mod:`.matching`), the maths in :mod:`icc.engine.matching` and :mod:`icc.engine.clusters`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Accession(models.Model):
    """A candidate city's way into the programme: request → letter of intent → first questionnaire →
    introductory expert visit → member."""

    class Stage(models.TextChoices):
        REQUEST = "request", _("Request received")
        LETTER = "letter", _("Letter of intent")
        QUESTIONNAIRE = "questionnaire", _("First Index questionnaire")
        EXPERT_VISIT = "expert_visit", _("Introductory expert visit")
        MEMBER = "member", _("Member")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    city = models.OneToOneField("network.City", on_delete=models.CASCADE, related_name="accession")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REQUEST)
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    requested = models.DateField(_("request received"), null=True, blank=True)
    letter = models.DateField(_("letter of intent"), null=True, blank=True)
    questionnaire = models.DateField(_("first questionnaire submitted"), null=True, blank=True)
    expert_visit = models.DateField(_("introductory expert visit"), null=True, blank=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["city__name"]
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")


class Cost(models.TextChoices):
    UNDER_10K = "under-10k", _("under €10,000")
    FROM_10K = "10k-50k", _("€10,000–50,000")
    FROM_50K = "50k-250k", _("€50,000–250,000")
    OVER_250K = "over-250k", _("over €250,000")


class TargetGroup(models.TextChoices):
    NEWCOMERS = "newcomers", _("Newcomers")
    REFUGEES = "refugees", _("Refugees")
    MIGRANTS = "migrants", _("Migrants")
    ROMA = "roma", _("Roma")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children")
    WOMEN = "women", _("Women")
    ELDERLY = "elderly", _("Older people")
    ADULTS = "adults", _("Adults")
    FAMILIES = "families", _("Families")
    ENTREPRENEURS = "entrepreneurs", _("Entrepreneurs")
    CITY_STAFF = "city-staff", _("City staff")
    POLICE = "police", _("Police")
    TEACHERS = "teachers", _("Teachers")
    MEDIA = "media", _("Media")
    RESIDENTS = "residents", _("All residents")
    ASSOCIATIONS = "associations", _("Associations")


class GoodPractice(models.Model):
    """A city's good practice in one or more Index areas, moderated before it is public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for moderation")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned with a comment")

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="practices")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    start = models.PositiveIntegerField(_("from (year)"))
    end = models.PositiveIntegerField(_("to (year)"), null=True, blank=True, help_text=_("Empty: still running"))
    areas = models.JSONField(_("Index areas"), default=list)  # item ids, the first the main one (mirrored below)
    target_groups = models.JSONField(_("target groups"), default=list)
    purpose = models.TextField(_("purpose"))
    actions = models.TextField(_("what was done"))
    results = models.TextField(_("results"), blank=True)
    evidence = models.TextField(_("evidence of the results"), blank=True)
    cost = models.CharField(_("cost"), max_length=12, choices=Cost.choices, blank=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("A unit or role; shown to signed-in members only")
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True, help_text=_("Shown to signed-in members only"))
    links = models.JSONField(_("links"), default=list)
    host_visits = models.BooleanField(_("the city would host a study visit on it"), default=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("moderator's comment"), blank=True)
    created = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated = models.DateTimeField(_("updated"))
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted = models.DateTimeField(_("submitted"), null=True, blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # raised by every save: a stale form is refused
    document = models.TextField(blank=True)  # what the full-text search indexes (:mod:`.search`)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-published", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self) -> str:
        return self.title


class PracticeArea(models.Model):
    """One Index area of a good practice (a row per area, so that every database can filter by it)."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="area_rows")
    area = models.CharField(max_length=80)
    is_main = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["practice", "area"], name="one_row_per_practice_area")]
        indexes = [models.Index(fields=["area"])]


class PracticeFile(models.Model):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="practices/%Y/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded = models.DateTimeField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StudyVisit(models.Model):
    """A city's request to visit a mentor city strong in an Index area, its answer, the visit and its follow-up."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DONE = "done", _("Took place")

    visitor = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="visits_made")
    host = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="visits_hosted")
    area = models.CharField(_("Index area"), max_length=80)
    edition = models.ForeignKey("network.Edition", on_delete=models.SET_NULL, null=True, related_name="+")
    match = models.JSONField(default=dict)  # the match score and its parts when the visit was asked for
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(_("message to the host"))
    requested = models.DateTimeField(_("requested"))
    requested_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    reply = models.TextField(_("host's reply"), blank=True)
    replied = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    starts = models.DateField(_("first day"), null=True, blank=True)
    ends = models.DateField(_("last day"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    transfer = models.TextField(_("what we will transfer"), blank=True)
    practices = models.ManyToManyField(GoodPractice, blank=True, related_name="visits", verbose_name=_("practices"))
    revision = models.PositiveIntegerField(default=0)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-requested"]
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")


class LearningCluster(models.Model):
    """Cities sharing a weak area with one or two strong cities as resource, computed from an edition
    (:func:`icc.engine.clusters.learning_clusters`) and then editable by the secretariat."""

    edition = models.ForeignKey("network.Edition", on_delete=models.CASCADE, related_name="clusters")
    area = models.CharField(_("Index area"), max_length=80)
    name = models.CharField(_("name"), max_length=160, blank=True)
    computed = models.DateTimeField(_("computed"))
    seed = models.PositiveIntegerField(default=0)
    edited = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["edition", "area", "pk"]
        verbose_name = _("learning cluster")
        verbose_name_plural = _("learning clusters")


class ClusterCity(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        RESOURCE = "resource", _("Resource city")

    cluster = models.ForeignKey(LearningCluster, on_delete=models.CASCADE, related_name="cities")
    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="clusters")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "city"], name="one_role_per_cluster_city")]


class ExpertProfile(models.Model):
    """The expert roster: an expert's languages and fields of expertise (Index areas)."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="expert_profile")
    languages = models.CharField(_("languages"), max_length=60, help_text=_("ISO 639-1 codes, e.g. en,fr,es"))
    areas = models.JSONField(_("fields of expertise"), default=list)
    biography = models.TextField(_("biography"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)


class ExpertVisit(models.Model):
    """An expert visit to a city: who came, whom they met, the report and its recommendations per Index area."""

    class Kind(models.TextChoices):
        INTRODUCTORY = "introductory", _("Introductory visit")
        FOLLOW_UP = "follow_up", _("Follow-up visit")
        THEMATIC = "thematic", _("Thematic visit")

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="expert_visits")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"))
    experts: models.ManyToManyField = models.ManyToManyField(
        USER, related_name="expert_visits", verbose_name=_("experts")
    )
    stakeholders = models.TextField(_("stakeholders met"), blank=True)
    report = models.FileField(_("report"), upload_to="expert-visits/%Y/", blank=True)
    created = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("expert visit")
        verbose_name_plural = _("expert visits")


class VisitRecommendation(models.Model):
    """A recommendation of an expert visit, per Index area (a later tracker follows it up)."""

    visit = models.ForeignKey(ExpertVisit, on_delete=models.CASCADE, related_name="recommendations")
    area = models.CharField(_("Index area"), max_length=80)
    text = models.TextField(_("recommendation"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=2)  # 1 high, 2 medium, 3 low

    class Meta:
        ordering = ["visit", "priority", "pk"]


class Event(models.Model):
    class Kind(models.TextChoices):
        COORDINATORS = "coordinators", _("Coordinators' meeting")
        ACADEMY = "academy", _("Intercultural Academy")
        WORKSHOP = "workshop", _("Thematic workshop")
        STUDY_VISIT = "study_visit", _("Study visit")
        GOVERNANCE = "governance", _("Multi-level governance meeting")
        TRAINING = "training", _("Intercultural-competence training")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateField(_("first day"))
    ends = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    host = models.ForeignKey("network.City", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    programme = models.TextField(_("programme"), blank=True)
    areas = models.JSONField(_("Index areas"), default=list)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="registrations")
    city = models.ForeignKey("network.City", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    registered = models.DateTimeField()
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_user")]


class EventMaterial(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("file"), upload_to="events/%Y/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded = models.DateTimeField()


class TrainingSession(models.Model):
    """An intercultural-competence training held for a city's staff."""

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="trainings")
    held = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=120)
    participants = models.PositiveIntegerField(_("participants"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-held"]


class DepartmentStaff(models.Model):
    """How many staff a city department has (the denominator of the share trained)."""

    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="departments")
    department = models.CharField(_("department"), max_length=120)
    staff = models.PositiveIntegerField(_("staff"))
    year = models.PositiveIntegerField(_("year"))
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "department", "year"], name="one_staff_count_per_year")]


class SelfAssessment(models.Model):
    """An official's intercultural-competence self-assessment before or after a training (1–5 per statement)."""

    class Phase(models.TextChoices):
        BEFORE = "before", _("Before training")
        AFTER = "after", _("After training")

    user = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="self_assessments")
    department = models.CharField(_("department"), max_length=120)
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    taken = models.DateTimeField(_("taken"))
    answers = models.JSONField(default=dict)  # statement id → 1..5 (statements in :mod:`.competence`)
    is_demo = models.BooleanField(_("demo"), default=False)


class Campaign(models.Model):
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"), null=True, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.title


class CampaignCity(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="cities")
    city = models.ForeignKey("network.City", on_delete=models.CASCADE, related_name="campaigns")
    actions = models.TextField(_("actions"), blank=True)
    reach = models.PositiveIntegerField(_("people reached"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "city"], name="one_row_per_campaign_city")]


class GovernanceBody(models.Model):
    """A national or regional body working with cities (the multi-level governance working group)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    country_code = models.CharField(_("country"), max_length=2)
    description = models.TextField(_("description"), blank=True)
    cities = models.ManyToManyField("network.City", blank=True, related_name="governance_bodies")
    events = models.ManyToManyField(Event, blank=True, related_name="governance_bodies")
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
