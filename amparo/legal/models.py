"""Criminal proceedings of a case, from the complaint to the payment of the reparation.

Rows that belong to a case carry its data key; defendants' details, the notes of each step and
hearing are sealed under it. Offences and deadline rules are reference data (no survivor data).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.cases.models import Case
from amparo.crypto.fields import SealedModel, sealed_text
from amparo.legal import choices
from amparo.referrals.models import Institution

User = settings.AUTH_USER_MODEL
# Ley 31146 (published 30 March 2021) moved the offences to arts. 129-A to 129-O.
RENUMBERED_ON = date(2021, 3, 31)


class Offence(models.Model):
    """An article of the Código Penal with its numbering before and after Ley 31146."""

    article = models.CharField(_("article"), max_length=12, unique=True)
    former_article = models.CharField(_("article before Ley 31146"), max_length=12, blank=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160)
    trafficking = models.BooleanField(_("trafficking or exploitation offence"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "article"]

    def __str__(self) -> str:
        return f"{self.article} {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es

    def article_on(self, day: date | None) -> str:
        """The article in force on the day of the facts."""
        if day and day < RENUMBERED_ON and self.former_article:
            return self.former_article
        return self.article


class DeadlineRule(models.Model):
    """Days a lawyer has to act after a decision (e.g. 5 working days to ask the superior
    prosecutor to review an archive). Editable data: the law or the court's practice changes."""

    decision = models.CharField(_("decision"), max_length=40, choices=choices.Decision.choices)
    action_es = models.CharField(_("what to do (Spanish)"), max_length=160)
    action_en = models.CharField(_("what to do (English)"), max_length=160)
    days = models.PositiveSmallIntegerField(_("days"), validators=[MinValueValidator(1)])
    working_days = models.BooleanField(_("working days (Monday to Friday)"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=120, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "id"]

    @property
    def action(self) -> str:
        return self.action_en if (get_language() or "es").startswith("en") else self.action_es


class Proceeding(SealedModel):
    case = models.ForeignKey(Case, models.CASCADE, related_name="proceedings")
    police_report = models.CharField(_("police complaint number"), max_length=60, blank=True)
    prosecutor_file = models.CharField(_("prosecutor's file (carpeta fiscal)"), max_length=60,
                                       blank=True)
    court_file = models.CharField(_("court file (expediente)"), max_length=60, blank=True)
    prosecutor_office = models.ForeignKey(
        Institution, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("prosecutor's office"))
    court = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("court"))
    judicial_district = models.CharField(_("judicial district"), max_length=40, blank=True)
    facts_on = models.DateField(_("date of the facts"), null=True, blank=True)
    charges = models.JSONField(_("charges (articles)"), default=list, blank=True)
    track = models.CharField(_("procedural track"), max_length=30, choices=choices.Track.choices,
                             default=choices.Track.ORDINARY)
    stage = models.CharField(_("stage"), max_length=30, choices=choices.Stage.choices,
                             default=choices.Stage.COMPLAINT)
    stage_since = models.DateField(_("in this stage since"))
    last_activity_on = models.DateField(_("last step, decision or hearing"))
    civil_party = models.BooleanField(_("she is constituted as actor civil"), default=False)
    civil_party_on = models.DateField(_("actor civil since"), null=True, blank=True)
    representation = models.CharField(_("who represents her"), max_length=20,
                                      choices=choices.Representation.choices,
                                      default=choices.Representation.OUR_LAWYER)
    representative = models.ForeignKey(User, models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("our lawyer"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["stage", "last_activity_on"], name="proceeding_stage")]

    def __str__(self) -> str:
        return self.prosecutor_file or self.court_file or self.police_report or str(self.pk)[:8]

    @property
    def label(self) -> str:
        return str(self)

    @property
    def concluded(self) -> bool:
        return self.stage == choices.Stage.CONCLUDED


class Defendant(SealedModel):
    """A person accused in the proceeding. Everything that identifies them is sealed and shown
    only to roles with `defendant.view`."""

    proceeding = models.ForeignKey(Proceeding, models.CASCADE, related_name="defendants")
    role = models.CharField(_("role"), max_length=20, choices=choices.DefendantRole.choices)
    situation = models.CharField(_("situation"), max_length=20,
                                 choices=choices.DefendantSituation.choices,
                                 default=choices.DefendantSituation.INVESTIGATED)
    details_sealed = models.BinaryField(default=b"", editable=False)  # JSON: name, alias, ...
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["details_sealed"])

    class Meta:
        ordering = ["created_at"]


class Step(SealedModel):
    """One dated entry of the proceeding's timeline: a change of stage or a decision."""

    class Kind(models.TextChoices):
        STAGE = "etapa", _("Stage")
        DECISION = "decision", _("Decision")

    proceeding = models.ForeignKey(Proceeding, models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    decision = models.CharField(_("decision"), max_length=40, choices=choices.Decision.choices,
                                blank=True)
    stage_before = models.CharField(max_length=30, choices=choices.Stage.choices)
    stage_after = models.CharField(_("stage"), max_length=30, choices=choices.Stage.choices)
    taken_on = models.DateField(_("date"))
    issuer = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("issued by"))
    note_sealed = models.BinaryField(default=b"", editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["taken_on", "recorded_at"]


class Sentence(models.Model):
    """What a judgment ordered for one defendant (or for all when none is named)."""

    step = models.ForeignKey(Step, models.CASCADE, related_name="sentences")
    defendant = models.ForeignKey(Defendant, models.PROTECT, null=True, blank=True,
                                  related_name="sentences", verbose_name=_("defendant"))
    prison_years = models.DecimalField(_("prison (years)"), max_digits=4, decimal_places=1,
                                       null=True, blank=True)
    penalty = models.CharField(_("penalty"), max_length=20, choices=choices.PenaltyKind.choices,
                               blank=True)
    fine_days = models.PositiveIntegerField(_("fine (day-fines)"), null=True, blank=True)
    disqualification = models.CharField(_("disqualification (inhabilitación)"), max_length=200,
                                        blank=True)
    reparation = models.DecimalField(_("civil reparation ordered (S/)"), max_digits=12,
                                     decimal_places=2, default=0)
    final_on = models.DateField(_("final since"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["step__taken_on", "id"]


class Payment(models.Model):
    """Money received towards the civil reparation of a proceeding."""

    proceeding = models.ForeignKey(Proceeding, models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (S/)"), max_digits=12, decimal_places=2)
    receipt = models.CharField(_("receipt or deposit number"), max_length=80, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(User, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]


class Deadline(models.Model):
    """What a lawyer must do by a date, computed from a decision and a rule."""

    proceeding = models.ForeignKey(Proceeding, models.CASCADE, related_name="deadlines")
    step = models.ForeignKey(Step, models.CASCADE, null=True, blank=True, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(_("what to do"), max_length=160)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=choices.DeadlineStatus.choices,
                              default=choices.DeadlineStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="deadline_open")]


class Hearing(SealedModel):
    proceeding = models.ForeignKey(Proceeding, models.CASCADE, related_name="hearings")
    kind = models.CharField(_("type"), max_length=30, choices=choices.HearingKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    court = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("court"))
    room_sealed = models.BinaryField(default=b"", editable=False)  # a video link lets one in
    room = sealed_text("room")
    survivor_must_attend = models.BooleanField(_("she must attend"), default=False)
    survivor_attended = models.BooleanField(_("she attended"), null=True, blank=True)
    attendees = models.ManyToManyField(User, blank=True, related_name="+",
                                       verbose_name=_("who goes from the team"))
    status = models.CharField(_("status"), max_length=20, choices=choices.HearingStatus.choices,
                              default=choices.HearingStatus.SCHEDULED)
    note_sealed = models.BinaryField(default=b"", editable=False)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["note_sealed"])

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="hearing_upcoming")]


class Measure(SealedModel):
    """Protection and special-evidence measures (entrevista única, reserva de identidad, ...)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="measures")
    proceeding = models.ForeignKey(Proceeding, models.SET_NULL, null=True, blank=True,
                                   related_name="measures", verbose_name=_("proceeding"))
    kind = models.CharField(_("measure"), max_length=40, choices=choices.MeasureKind.choices)
    requested_on = models.DateField(_("requested on"))
    granted_on = models.DateField(_("granted on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    issuer = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("issued by"))
    status = models.CharField(_("status"), max_length=20, choices=choices.MeasureStatus.choices,
                              default=choices.MeasureStatus.REQUESTED)
    note_sealed = models.BinaryField(default=b"", editable=False)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["note_sealed"])

    class Meta:
        ordering = ["-requested_on", "id"]


class CalendarFeed(models.Model):
    """A user's secret iCal address. Only a digest of the token is stored; revoking it (or
    making a new one) makes the old address answer 404."""

    user = models.ForeignKey(User, models.CASCADE, related_name="calendar_feeds")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def expires_on(self):
        from datetime import timedelta

        from django.conf import settings

        return (self.created_at + timedelta(days=settings.AMPARO_FEED_DAYS)).date()
