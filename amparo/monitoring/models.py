"""Alert rules (data an admin edits), the alerts they raise, what people did with them, and
the revictimisation-risk instrument with its assessments.

An alert is one condition on one case (and, for some kinds, one hearing, deadline, proceeding
or referral: its `subject`). While the condition lasts the alert is *live* (`ended_on` is
empty); at most one live alert exists per rule, case and subject, so computing twice creates
nothing new. When the condition ends, the refresh that sees it fills `ended_on` and resolves
the alert; the row stays as history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.cases.models import Case
from amparo.crypto.fields import SealedModel
from amparo.monitoring import choices

User = settings.AUTH_USER_MODEL


class AlertRule(models.Model):
    kind = models.CharField(_("type"), max_length=30, choices=choices.Kind.choices, unique=True)
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    days_minor = models.PositiveIntegerField(_("days, for a child"), null=True, blank=True)
    first_days = models.PositiveIntegerField(_("days after intake for the first one"),
                                             null=True, blank=True)
    urgent_days = models.PositiveIntegerField(_("urgent from (days before)"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("consecutive attempts"), null=True, blank=True)
    level = models.CharField(_("from risk level"), max_length=10, blank=True,
                             choices=choices.RiskLevel.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=choices.Severity.choices)
    notify = models.JSONField(_("who is told"), default=list)
    explanation_es = models.TextField(_("explanation (Spanish)"))
    explanation_en = models.TextField(_("explanation (English)"))
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "kind"]
        verbose_name = _("alert rule")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def explanation(self) -> str:
        english = (get_language() or "es").startswith("en")
        return self.explanation_en if english else self.explanation_es


class AlertRun(models.Model):
    """One computation of every rule: when, for which day, and what it changed. The daily run
    covers every case (`for_cases` empty); a change to a case (a follow-up, a stage, a plan)
    recomputes that case's rules at once, as a run of its own over that many cases."""

    run_on = models.DateField()
    for_cases = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    opened = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    woke = models.PositiveIntegerField(default=0)
    live = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class AlertCondition(models.Model):
    """Scratch rows of the running refresh: every condition that holds today, one per rule,
    case and subject. Emptied at the start of each run; the diff against live alerts is done
    in the database."""

    rule = models.ForeignKey(AlertRule, models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    subject = models.CharField(max_length=60, blank=True)
    since = models.DateField(null=True)
    due_on = models.DateField(null=True)
    count = models.IntegerField(null=True)
    severity = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["rule", "case", "subject"], name="condition_key")]


class Alert(models.Model):
    rule = models.ForeignKey(AlertRule, models.PROTECT, related_name="alerts")
    kind = models.CharField(_("type"), max_length=30, choices=choices.Kind.choices)
    case = models.ForeignKey(Case, models.CASCADE, related_name="alerts")
    subject = models.CharField(max_length=60, blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=choices.Severity.choices)
    status = models.CharField(_("status"), max_length=12, choices=choices.Status.choices,
                              default=choices.Status.OPEN)
    since = models.DateField(_("since"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    count = models.IntegerField(null=True, blank=True)
    rule_version = models.PositiveIntegerField()
    opened_at = models.DateTimeField(_("opened"))
    opened_run = models.ForeignKey(AlertRun, models.SET_NULL, null=True, related_name="+")
    ended_on = models.DateField(_("condition ended on"), null=True, blank=True)
    ended_run = models.ForeignKey(AlertRun, models.SET_NULL, null=True, related_name="+")
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-severity", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "case", "subject"],
                                    condition=Q(ended_on__isnull=True), name="alert_live_unique"),
        ]
        indexes = [
            models.Index(fields=["case", "status"], name="alert_case_status"),
            models.Index(fields=["status", "-severity", "opened_at"], name="alert_inbox"),
            models.Index(fields=["kind", "status"], name="alert_kind_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case_id}"

    @property
    def live(self) -> bool:
        return self.ended_on is None and self.status in choices.LIVE


class AlertEvent(SealedModel):
    """What a person (or the refresh) did with an alert. The comment is sealed under the case's
    key: it often says where she is or what happened."""

    alert = models.ForeignKey(Alert, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=choices.EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    until = models.DateField(null=True, blank=True)
    comment_sealed = models.BinaryField(default=b"", editable=False)

    class Meta:
        ordering = ["at"]


class Digest(models.Model):
    """The daily e-mail a user got, so that running the digest twice sends nothing twice."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    sent_on = models.DateField()
    alerts = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sent_on"], name="digest_daily")]


class RiskInstrument(models.Model):
    """One version of the revictimisation-risk instrument. Editing publishes a new version; an
    assessment keeps the version it was scored with, so old results stay explainable."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    medium_from = models.PositiveSmallIntegerField(_("medium from score"))
    high_from = models.PositiveSmallIntegerField(_("high from score"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    def level_for(self, score: int, decisive: bool) -> str:
        if decisive or score >= self.high_from:
            return choices.RiskLevel.HIGH
        if score >= self.medium_from:
            return choices.RiskLevel.MEDIUM
        return choices.RiskLevel.LOW


class RiskItem(models.Model):
    instrument = models.ForeignKey(RiskInstrument, models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text_es = models.CharField(_("question (Spanish)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"))
    decisive = models.BooleanField(_("a yes makes the risk high"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="risk_item_unique")
        ]

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "es").startswith("en") else self.text_es


class RiskAssessment(SealedModel):
    case = models.ForeignKey(Case, models.CASCADE, related_name="risk_assessments")
    instrument = models.ForeignKey(RiskInstrument, models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("date"))
    answers = models.JSONField(_("items answered yes"), default=list)
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=10, choices=choices.RiskLevel.choices)
    notes_sealed = models.BinaryField(default=b"", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    assessed_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        indexes = [models.Index(fields=["case", "-assessed_on"], name="risk_latest")]
