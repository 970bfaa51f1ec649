"""Missing-person reports, the candidate links the engine proposes, the decisions people take on
them, and the merges of duplicate persons (issue 6).

A report is what a police alert, a family, the Defensoría or a partner says about a woman or
girl who disappeared. A candidate is a pair the engine found probable: a report and a person
registered here, or two persons who may be one. Nothing is linked or merged by the engine; a
coordinator decides, and every decision is kept (the latest one is in force). A merge moves the
cases of one person to the other and remembers which, so that it can be undone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import Case, Person
from amparo.crypto.envelope import context_for, open_text, seal_text
from amparo.crypto.fields import SealedModel
from amparo.crypto.models import DataKey


class Source(models.TextChoices):
    POLICE = "alerta_pnp", _("Police alert (PNP)")
    FAMILY = "familia", _("Family")
    DEFENSORIA = "defensoria", _("Ombudsman's Office (Defensoría)")
    PARTNER = "aliada", _("Partner organisation")


class ReportStatus(models.TextChoices):
    MISSING = "desaparecida", _("Missing")
    FOUND = "ubicada", _("Found")
    LINKED = "vinculada", _("Linked to a case")
    CLOSED = "cerrada", _("Closed")


class MissingReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    number = models.CharField(_("report number"), max_length=40)
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    paternal_surname = models.CharField(_("paternal surname"), max_length=80, blank=True)
    maternal_surname = models.CharField(_("maternal surname"), max_length=80, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age when she went missing"), null=True, blank=True)
    document_type = models.CharField(_("document type"), max_length=20, blank=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    department = models.CharField(_("department last seen (UBIGEO)"), max_length=2, blank=True)
    district = models.CharField(_("district last seen (UBIGEO)"), max_length=6, blank=True)
    missing_on = models.DateField(_("missing since"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.MISSING)
    person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True,
                               related_name="missing_reports")
    case = models.ForeignKey(Case, models.PROTECT, null=True, blank=True,
                             related_name="missing_reports")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("missing-person report")
        constraints = [models.UniqueConstraint(fields=["source", "number"],
                                               name="report_unique_per_source")]
        ordering = ["-missing_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.number}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.paternal_surname,
                                    self.maternal_surname) if p)


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        FULL = "full", _("Everything against everything")
        NEW = "new", _("New records against the rest")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    reports = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    model = models.JSONField(null=True, blank=True, editable=False)  # the trained Splink model
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker process that took the run (core.liveness): a killed worker's run is failed
    # and another can start.
    worker = models.CharField(max_length=120, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="full", finished_at__isnull=True),
                name="one_full_run_at_a_time"),
        ]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Decision(models.TextChoices):
    SAME = "same", _("The same person")
    DIFFERENT = "different", _("Different people")
    UNSURE = "unsure", _("Unsure")


class Candidate(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Report and registered person")
        PERSONS = "persons", _("Two registered persons")

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        UNSURE = "unsure", _("Unsure")
        SAME = "same", _("The same person")
        DIFFERENT = "different", _("Different people")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    report = models.ForeignKey(MissingReport, models.CASCADE, null=True, blank=True,
                               related_name="candidates")
    person = models.ForeignKey(Person, models.PROTECT, related_name="+")
    # The second person of a person pair, always the one with the larger id.
    other = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    probability = models.FloatField()
    evidence = models.JSONField(default=list)  # [[comparison, level, weight], ...], prior first
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    run = models.ForeignKey(MatchRun, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "person"], name="candidate_report_once",
                                    condition=models.Q(kind="report")),
            models.UniqueConstraint(fields=["person", "other"], name="candidate_persons_once",
                                    condition=models.Q(kind="persons")),
            models.CheckConstraint(
                condition=(models.Q(kind="report", report__isnull=False, other__isnull=True)
                           | models.Q(kind="persons", report__isnull=True,
                                      other__isnull=False, person__lt=models.F("other"))),
                name="candidate_shape"),
        ]
        ordering = ["-probability", "id"]


class CandidateDecision(models.Model):
    """Every decision on a candidate, kept; the latest is the candidate's status."""

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    # What the coordinator checked, and why she linked without consent for sharing: sealed
    # under the data key of the first case she reviewed (`table:field:pk`, like SealedModel).
    data_key = models.ForeignKey(DataKey, models.PROTECT, null=True, related_name="+",
                                 editable=False)
    comment_sealed = models.BinaryField(default=b"", editable=False)
    override_reason_sealed = models.BinaryField(default=b"", editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]


    def seal(self, name: str, text: str) -> None:
        setattr(self, f"{name}_sealed", seal_text(self.data_key, text or "",
                                                  context_for(self, name)))

    def unseal(self, name: str) -> str:
        sealed = bytes(getattr(self, f"{name}_sealed"))
        if not sealed or self.data_key_id is None:
            return ""
        return open_text(self.data_key, sealed, context_for(self, name))

    @property
    def comment(self) -> str:
        return self.unseal("comment")

    @property
    def override_reason(self) -> str:
        return self.unseal("override_reason")


class ReportStatusChange(SealedModel):
    """A report marked missing, found or closed by hand, with why (sealed: what a family said
    is not for the access log)."""

    report = models.ForeignKey(MissingReport, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    reason_sealed = models.BinaryField(default=b"", editable=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]


class Merge(models.Model):
    """Two persons found to be one: `merged`'s cases now belong to `kept`. `cases` remembers
    which, so that undoing it gives each case back; `merged` and her identity are never
    deleted."""

    candidate = models.ForeignKey(Candidate, models.PROTECT, related_name="merges")
    kept = models.ForeignKey(Person, models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, models.PROTECT, related_name="+")
    cases = models.JSONField(default=list)  # ids of the cases moved
    reports = models.JSONField(default=list)  # ids of the reports moved
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        constraints = [models.UniqueConstraint(
            fields=["merged"], condition=models.Q(undone_at__isnull=True),
            name="merge_one_in_force")]
