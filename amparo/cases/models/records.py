"""What is recorded inside a case: what happened, consent, assessments, the care plan, services,
follow-ups, notes and documents. High-harm text is sealed under the case's data key (its rows
carry the same `data_key` as the case so that one join opens them)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.cases import choices
from amparo.cases.models.case import Case
from amparo.crypto.fields import SealedModel, SealedRow, sealed_text

User = settings.AUTH_USER_MODEL


class Episode(SealedModel):
    """A dated, placed event of recruitment, transit or exploitation (HTCDS `hte_`)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="episodes")
    kind = models.CharField(_("kind"), max_length=20, choices=choices.EpisodeKind.choices)
    place_ubigeo = models.CharField(_("place (UBIGEO)"), max_length=6, blank=True)
    place_country = models.CharField(_("country"), max_length=2, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    # "el verano que cumplió 15", "cuando vivía con su tía": it can say who she is; sealed.
    period_sealed = models.BinaryField(_("period, if the dates are not known"), default=b"",
                                       editable=False)
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True)
    sexual_types = models.JSONField(_("type of sexual exploitation"), default=list, blank=True)
    means = models.JSONField(_("means"), default=list, blank=True)
    control = models.JSONField(_("methods of control"), default=list, blank=True)
    recruitment = models.CharField(_("recruitment modality"), max_length=60, blank=True)
    recruiter_relation = models.CharField(_("relation to the recruiter"), max_length=60, blank=True)
    sector = models.CharField(_("sector (ISIC)"), max_length=60, blank=True)
    ended_by = models.CharField(
        _("how it ended"), max_length=20, choices=choices.EpisodeEnd.choices, blank=True
    )
    description_sealed = models.BinaryField(default=b"", editable=False)
    perpetrators_sealed = models.BinaryField(default=b"", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    history = HistoricalRecords()
    period = sealed_text("period")

    class Meta:
        ordering = ["started_on", "created_at"]
        verbose_name = _("episode")


class Consent(SealedModel):
    """One decision about one scope. The latest decision per scope is in force."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=20, choices=choices.ConsentScope.choices)
    given = models.BooleanField(_("given"))
    decided_on = models.DateField(_("date"))
    given_by = models.CharField(_("decided by"), max_length=20,
                                choices=choices.ConsentGiver.choices)
    form = models.ForeignKey(
        "cases.CaseDocument", models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("signed form"),
    )
    note_sealed = models.BinaryField(default=b"", editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        indexes = [models.Index(fields=["case", "scope", "-decided_on"], name="consent_latest")]


class Assessment(SealedModel):
    """Needs on a 0–4 scale per domain (`scores`: domain → score), with sealed notes."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date"))
    scores = models.JSONField(_("scores"), default=dict)
    notes_sealed = models.BinaryField(default=b"", editable=False)  # JSON: domain → note
    created_at = models.DateTimeField(auto_now_add=True)
    assessed_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-created_at"]


class CarePlan(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="plans")
    horizon = models.CharField(
        _("horizon (her choice)"), max_length=10, choices=choices.Horizon.choices
    )
    status = models.CharField(
        max_length=20, choices=choices.PlanStatus.choices, default=choices.PlanStatus.DRAFT
    )
    review_on = models.DateField(_("review on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]


class PlanGoal(SealedRow):
    """A goal in her words, sealed under the case's key like her actions."""

    plan = models.ForeignKey(CarePlan, models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=20, choices=choices.Domain.choices)
    goal_sealed = models.BinaryField(default=b"", editable=False)
    goal = sealed_text("goal")

    class Meta:
        ordering = ["id"]


class PlanAction(SealedRow):
    goal = models.ForeignKey(PlanGoal, models.CASCADE, related_name="actions")
    description_sealed = models.BinaryField(default=b"", editable=False)
    description = sealed_text("description")
    owner = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("responsible"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=choices.ActionStatus.choices,
        default=choices.ActionStatus.PENDING,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]


class Service(SealedModel):
    case = models.ForeignKey(Case, models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=30, choices=choices.ServiceKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=choices.Mode.choices)
    delivered_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(1440)]
    )
    staff = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("staff"))
    note_sealed = models.BinaryField(default=b"", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-created_at"]


class FollowUp(SealedModel):
    case = models.ForeignKey(Case, models.CASCADE, related_name="follow_ups")
    contacted_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=choices.Channel.choices)
    reached = models.BooleanField(_("reached her"))
    wellbeing = models.CharField(
        _("how she is"), max_length=20, choices=choices.Wellbeing.choices, blank=True
    )
    risk_signs = models.JSONField(_("risk signs seen"), default=list, blank=True)
    note_sealed = models.BinaryField(default=b"", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-contacted_on", "-created_at"]


class Note(SealedModel):
    """Notes are never edited: a correction is a new note, so the record stays as written."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notes")
    sensitivity = models.CharField(
        _("sensitivity"), max_length=20, choices=choices.Sensitivity.choices,
        default=choices.Sensitivity.GENERAL,
    )
    text_sealed = models.BinaryField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "sensitivity", "-created_at"], name="note_case")]


class CaseDocument(SealedModel):
    """The file itself is sealed and kept in the storage (AMPARO_MEDIA_DIR, or S3 later)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=choices.DocumentKind.choices)
    # Who may open it, as for notes: a medical or psychological report only the case's
    # psychologist, unless the uploader says otherwise.
    sensitivity = models.CharField(
        _("who may open it"), max_length=20, choices=choices.Sensitivity.choices,
        default=choices.Sensitivity.GENERAL,
    )
    title_sealed = models.BinaryField(default=b"", editable=False)
    title = sealed_text("title")  # never the uploaded file's name
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-uploaded_at"]
