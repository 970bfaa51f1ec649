"""Prevention and training: activities, the people who attend them (each counted once, however
many events she attends), attendance, test scores, and the estimated reach of campaigns.

A participant's contact is sealed under her own data key; names stay in clear so that people
can be recognised across attendance lists. Reach is an estimate of an audience, never people."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Office
from amparo.crypto.fields import SealedModel, sealed_text
from amparo.prevention import choices
from amparo.referrals.models import Institution


class ActivityCounter(models.Model):
    office = models.ForeignKey(Office, models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"],
                                               name="activity_counter_unique")]


class Activity(models.Model):
    code = models.CharField(max_length=24, unique=True, editable=False)  # PRV-CUS-2026-0007
    kind = models.CharField(_("kind"), max_length=24, choices=choices.Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    office = models.ForeignKey(Office, models.PROTECT, related_name="activities",
                               verbose_name=_("office"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ubigeo = models.CharField(_("place"), max_length=6, blank=True)
    place_name = models.CharField(_("venue"), max_length=200, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True,
                                blank=True)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    partners = models.ManyToManyField(Institution, blank=True, related_name="+",
                                      verbose_name=_("partner institutions"))
    project = models.CharField(_("project or donor"), max_length=200, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          related_name="+", verbose_name=_("facilitators"))
    external_facilitators = models.CharField(_("other facilitators"), max_length=300,
                                             blank=True)
    status = models.CharField(_("status"), max_length=12, choices=choices.Status.choices,
                              default=choices.Status.PLANNED)
    min_attendance = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"), default=80)
    post_test_required = models.BooleanField(_("the post-test is needed to complete"),
                                             default=False)
    test_max = models.DecimalField(_("highest test score"), max_digits=6, decimal_places=1,
                                   null=True, blank=True)
    test_questions = models.JSONField(_("test questions"), default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["office", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def is_learning(self) -> bool:
        return self.kind in choices.LEARNING

    @property
    def is_campaign(self) -> bool:
        return self.kind in choices.CAMPAIGNS


class ActivityDocument(SealedModel):
    """The agenda, photos or the signed attendance sheet: sealed under its own data key and kept
    in the storage, like a case's documents."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda or curriculum")
        PHOTOS = "fotos", _("Photos")
        SHEET = "lista", _("Signed attendance sheet")
        OTHER = "otro", _("Other")

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_sealed = models.BinaryField(default=b"", editable=False)
    title = sealed_text("title")
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]


class Participant(SealedModel):
    """A person who attended at least one activity. `merged_into` points to the record she was
    found to be the same person as; counts follow it, so she counts once."""

    code = models.CharField(max_length=12, unique=True, editable=False)  # PT-4K7M2QX9
    given_names = models.CharField(_("given names"), max_length=120)
    surnames = models.CharField(_("surnames"), max_length=120, blank=True)
    name_key = models.CharField(max_length=240, db_index=True, editable=False)  # folded
    sex = models.CharField(_("sex"), max_length=20, blank=True)
    document_type = models.CharField(_("document type"), max_length=20, blank=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    document_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    audience = models.CharField(_("profession or role"), max_length=20,
                                choices=choices.Audience.choices, default=choices.Audience.OTHER)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    institution_key = models.CharField(max_length=200, blank=True, editable=False)
    department = models.CharField(_("department"), max_length=2, blank=True)
    contact_sealed = models.BinaryField(editable=False, default=b"")
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                    related_name="merged", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["surnames", "given_names"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surnames}".strip()


class Attendance(models.Model):
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="attendance")
    hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=1, null=True,
                                blank=True)  # None: the whole activity
    source = models.CharField(max_length=60, blank=True)  # "page", "import <run>", "api"
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "participant"],
                                               name="attendance_once_per_activity")]

    def share_attended(self) -> Decimal | None:
        if self.hours is None or not self.activity.hours:
            return None
        return self.hours / self.activity.hours * 100


class Score(models.Model):
    """One participant's score in one test of an activity (pre, post or the 3-month follow-up)."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="scores")
    participant = models.ForeignKey(Participant, models.PROTECT, related_name="scores")
    phase = models.CharField(max_length=12, choices=choices.Phase.choices)
    score = models.DecimalField(max_digits=6, decimal_places=1)
    answers = models.JSONField(default=list, blank=True)  # per question, when recorded
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "participant", "phase"],
                                               name="score_once_per_phase")]


class Reach(models.Model):
    """A campaign's estimated audience, with where the figure comes from and how it was made."""

    activity = models.ForeignKey(Activity, models.CASCADE, related_name="reach")
    estimated_audience = models.PositiveBigIntegerField(_("estimated audience"))
    source = models.CharField(_("source of the figure"), max_length=200)
    method = models.CharField(_("how it was estimated"), max_length=500)
    mentions = models.PositiveIntegerField(
        _("calls or reports that mention the campaign"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class ParticipantPair(models.Model):
    """Two participant records that may be one person: a person decides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    left = models.ForeignKey(Participant, models.CASCADE, related_name="+")
    right = models.ForeignKey(Participant, models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    probability = models.FloatField(null=True, blank=True)  # the engine's, when it proposed it
    evidence = models.JSONField(default=list, blank=True)  # [comparison, level, weight], …
    status = models.CharField(max_length=10, choices=choices.PairStatus.choices,
                              default=choices.PairStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["left", "right"],
                                               name="participant_pair_unique")]
