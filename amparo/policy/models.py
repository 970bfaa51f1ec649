"""The watchdog's records: the national policy as data (instrument → objective → guideline →
service, and indicators), the evidence gathered per service, year and region with its sources,
the information requests sent under Ley 27806, the regional instruments, and the report's
editions with their chapters.

No record here is about a person: the watchdog reads the State, not survivors. The structure is
editable and every change is kept (`history`), because a service's wording or provider changes
between editions and the report must say which one it assessed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.crypto.fields import SealedModel
from amparo.policy import choices
from amparo.referrals.models import Institution


class Instrument(models.Model):
    """A national policy or plan: the PNFTP al 2030, the PNAT 2017–2021 before it."""

    code = models.SlugField(max_length=30, unique=True)  # pnftp-2030
    name = models.CharField(_("name"), max_length=300)
    norm = models.CharField(_("norm"), max_length=200, blank=True)  # DS 009-2021-IN
    starts = models.PositiveSmallIntegerField(_("from year"))
    ends = models.PositiveSmallIntegerField(_("to year"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts"]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """An objetivo prioritario (PNFTP) or an axis (PNAT)."""

    instrument = models.ForeignKey(Instrument, models.PROTECT, related_name="objectives")
    code = models.CharField(_("code"), max_length=12)  # OP1
    text = models.TextField(_("text"))
    lead = models.CharField(_("lead entity"), max_length=200, blank=True)
    axis = models.CharField(_("report axis"), max_length=12, choices=choices.Axis.choices)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"],
                                               name="objective_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Guideline(models.Model):
    """A lineamiento."""

    objective = models.ForeignKey(Objective, models.PROTECT, related_name="guidelines")
    code = models.CharField(_("code"), max_length=12)  # 1.1
    text = models.TextField(_("text"))
    known = models.BooleanField(_("text confirmed"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "code"]
        constraints = [models.UniqueConstraint(fields=["objective", "code"],
                                               name="guideline_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Service(models.Model):
    """One of the policy's services (42 in the PNFTP), the unit the watchdog assesses."""

    instrument = models.ForeignKey(Instrument, models.PROTECT, related_name="services")
    guideline = models.ForeignKey(Guideline, models.PROTECT, null=True, blank=True,
                                  related_name="services", verbose_name=_("guideline"),
                                  help_text=_("Empty while the annex that places it is not "
                                              "at hand."))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("service"))
    receptor = models.CharField(_("who receives it"), max_length=300, blank=True)
    condition = models.CharField(_("condition"), max_length=8, blank=True,
                                 choices=choices.Condition.choices)
    provider = models.CharField(_("provider entity"), max_length=200, blank=True)
    standards = models.TextField(_("standards of compliance"), blank=True)
    axis = models.CharField(_("report axis"), max_length=12, choices=choices.Axis.choices,
                            blank=True)
    known = models.BooleanField(_("texts confirmed"), default=True,
                                help_text=_("Unticked: the texts are to be completed from the "
                                            "policy's annex."))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"],
                                               name="service_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def code(self) -> str:
        return f"S{self.number:02d}"


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, models.PROTECT, related_name="indicators")
    service = models.ForeignKey(Service, models.PROTECT, null=True, blank=True,
                                related_name="indicators")
    name = models.TextField(_("indicator"))
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True,
                                   blank=True)
    targets = models.JSONField(_("targets by year"), default=dict, blank=True)  # {"2030": 70}
    known = models.BooleanField(_("confirmed"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "pk"]


class Edition(models.Model):
    """One Informe Alternativo: the period it covers and the evidence gathered for it."""

    code = models.SlugField(_("code"), max_length=20, unique=True)  # 2025-2026
    title = models.CharField(_("title"), max_length=300)
    instrument = models.ForeignKey(Instrument, models.PROTECT, related_name="editions")
    first_year = models.PositiveSmallIntegerField(_("first year covered"))
    last_year = models.PositiveSmallIntegerField(_("last year covered"))
    # An optional assessment scale, [{"code": "a", "label": "Avance adecuado"}, …]: no scale by
    # default, as in every edition so far.
    scale = models.JSONField(_("assessment scale"), default=list, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-first_year"]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class Evidence(models.Model):
    """What the watchdog found about one service in one year and one region ("" = national)."""

    edition = models.ForeignKey(Edition, models.PROTECT, related_name="evidence")
    service = models.ForeignKey(Service, models.PROTECT, related_name="evidence")
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.CharField(_("department"), max_length=2, blank=True)
    budget_assigned = models.DecimalField(_("budget assigned (PEN)"), max_digits=14,
                                          decimal_places=2, null=True, blank=True)
    budget_executed = models.DecimalField(_("budget executed (PEN)"), max_digits=14,
                                          decimal_places=2, null=True, blank=True)
    implementation = models.CharField(_("implementation"), max_length=16,
                                      choices=choices.Implementation.choices,
                                      default=choices.Implementation.NO_INFORMATION)
    delivered = models.TextField(_("what it delivered"), blank=True)
    delivered_count = models.PositiveIntegerField(_("how many (people, actions)"), null=True,
                                                  blank=True)
    assessment = models.CharField(_("assessment"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__number", "year", "department"]
        constraints = [models.UniqueConstraint(
            fields=["edition", "service", "year", "department"], name="evidence_unique")]


class InformationRequest(models.Model):
    """A request under Ley 27806 (Transparencia y Acceso a la Información Pública)."""

    code = models.CharField(max_length=20, unique=True, editable=False)  # SAI-2026-0007
    edition = models.ForeignKey(Edition, models.PROTECT, related_name="requests")
    entity = models.ForeignKey(Institution, models.PROTECT, related_name="+",
                               verbose_name=_("entity"))
    subject = models.TextField(_("what was asked"))
    services = models.ManyToManyField(Service, blank=True, related_name="requests",
                                      verbose_name=_("services concerned"))
    sent_on = models.DateField(_("sent on"))
    reference = models.CharField(_("filing number"), max_length=100, blank=True)
    with_ombudsman = models.BooleanField(_("sent with the Defensoría's support"), default=False)
    due_on = models.DateField(_("legal deadline"), editable=False)
    extended_to = models.DateField(_("extended to"), null=True, blank=True,
                                   help_text=_("The date the entity said it would answer, if it "
                                               "asked for more time before the deadline."))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    completeness = models.CharField(_("the answer was"), max_length=10, blank=True,
                                    choices=choices.Completeness.choices)
    answer_summary = models.TextField(_("what it answered"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_on", "-code"]

    def __str__(self) -> str:
        return self.code

    @property
    def deadline(self):
        return self.extended_to or self.due_on


class Reminder(models.Model):
    request = models.ForeignKey(InformationRequest, models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("sent on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sent_on"]


class AnswerDocument(SealedModel):
    """A document an entity sent, in the storage: sealed under its own data key when the team
    chooses (a reply naming officials or victims), plain otherwise (public information)."""

    request = models.ForeignKey(InformationRequest, models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sealed = models.BooleanField(_("encrypted"), default=False)
    storage_name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]


class Source(models.Model):
    """Where a fact of the evidence comes from; several per fact, each dated."""

    evidence = models.ForeignKey(Evidence, models.CASCADE, related_name="sources")
    kind = models.CharField(_("kind"), max_length=10, choices=choices.SourceKind.choices)
    reference = models.CharField(_("reference"), max_length=500,
                                 help_text=_("The query, the reply's number, the norm…"))
    dated = models.DateField(_("dated"))
    request = models.ForeignKey(InformationRequest, models.SET_NULL, null=True, blank=True,
                                related_name="sources", verbose_name=_("request it answers"))

    class Meta:
        ordering = ["-dated"]


class RegionalInstrument(models.Model):
    department = models.CharField(_("department"), max_length=2)
    kind = models.CharField(_("kind"), max_length=14, choices=choices.InstrumentKind.choices)
    name = models.CharField(_("name"), max_length=300)
    norm = models.CharField(_("norm that approves it"), max_length=200, blank=True)
    starts = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    ends = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    has_objectives = models.BooleanField(_("includes anti-trafficking objectives"),
                                         default=False)
    budget_lines = models.BooleanField(_("has budget lines for it"), default=False)
    budget = models.DecimalField(_("budget (PEN)"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["department", "-starts", "name"]

    @property
    def years(self) -> str:
        """"2025" for one year, "2021–2030" for several, "…" where a year is unknown."""
        if self.starts and self.starts == self.ends:
            return str(self.starts)
        return f"{self.starts or '…'}–{self.ends or '…'}"


class ChapterText(models.Model):
    """The text the team writes for one chapter of an edition."""

    edition = models.ForeignKey(Edition, models.CASCADE, related_name="chapters")
    chapter = models.CharField(max_length=16, choices=choices.Chapter.choices)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "chapter"],
                                               name="chapter_once_per_edition")]


class RequestCounter(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)
