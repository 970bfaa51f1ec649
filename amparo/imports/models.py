"""What every import did. `ImportRun` is one run of a file with a mapping (dry or real): who,
when, the file's hash, the counts, and its report sealed under the run's own data key (the
report repeats the rows, names included). `ImportedRecord` ties a source row's key to the case
it became, so a re-import recognises it; `ImportChange` keeps what each run wrote, and what
an update replaced, so the run can be undone as a whole."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Office
from amparo.cases.models import Case
from amparo.crypto.fields import SealedModel, sealed_text

User = settings.AUTH_USER_MODEL


class Outcome(models.TextChoices):
    IMPORTED = "imported", _("imported")
    UPDATED = "updated", _("updated")
    UNCHANGED = "unchanged", _("unchanged")
    SKIPPED = "skipped", _("skipped (blank or total)")
    REJECTED = "rejected", _("rejected")


class ImportRun(SealedModel):
    class Status(models.TextChoices):
        READING = "reading", _("reading the file to propose a mapping")
        UPLOADED = "uploaded", _("uploaded, mapping to check")
        QUEUED = "queued", _("waiting to start")
        RUNNING = "running", _("running")
        CHECKED = "checked", _("dry run done")
        REFUSED = "refused", _("not imported: rows were rejected")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")
        UNDONE = "undone", _("undone")

    office = models.ForeignKey(Office, models.PROTECT, related_name="+", verbose_name=_("office"))
    # A file is often named after a person ("Casos_Maria_Quispe.xlsx"): sealed like the file.
    file_name_sealed = models.BinaryField(default=b"", editable=False)
    file_name = sealed_text("file_name")
    file_sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    file_size = models.PositiveIntegerField(default=0)
    # The uploaded file itself, for runs started in the browser: sealed, and emptied once the
    # run is imported or undone.
    file_sealed = models.BinaryField(default=b"", editable=False)
    target = models.CharField(_("what it imports"), max_length=12, default="casos",
                              editable=False)  # "casos" or "asistencia" (fields.TARGETS)
    mapping = models.JSONField(_("mapping"), default=dict)
    mapping_text = models.TextField(_("mapping (YAML)"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    partial = models.BooleanField(_("import the valid rows even if others are rejected"),
                                  default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.UPLOADED)
    counts = models.JSONField(_("counts"), default=dict)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=20, blank=True)  # reading, checking, writing
    error_sealed = models.BinaryField(default=b"", editable=False)  # may quote a cell
    error = sealed_text("error")
    report_sealed = models.BinaryField(default=b"", editable=False)  # zlib'd JSON, sealed
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The worker process that took the run (core.liveness), so a run whose worker was killed
    # is taken back instead of saying "running" for ever.
    worker = models.CharField(max_length=120, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def seal_bytes(self, name: str, data: bytes) -> None:
        from amparo.crypto.envelope import context_for, seal_bytes

        setattr(self, f"{name}_sealed", seal_bytes(self.data_key, data, context_for(self, name)))

    def unseal_bytes(self, name: str) -> bytes:
        from amparo.crypto.envelope import context_for, open_bytes

        sealed = getattr(self, f"{name}_sealed")
        return open_bytes(self.data_key, sealed, context_for(self, name)) if sealed else b""

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.CHECKED, self.Status.REFUSED, self.Status.DONE,
                               self.Status.FAILED, self.Status.UNDONE}

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class ImportedRecord(models.Model):
    """A source row (office, sheet and key values, hashed) and the case it became."""

    office = models.ForeignKey(Office, models.PROTECT, related_name="+")
    sheet = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64)
    case = models.OneToOneField(Case, models.CASCADE, related_name="imported_from")
    episode_id = models.UUIDField(null=True)
    proceeding_id = models.UUIDField(null=True)
    follow_up_id = models.UUIDField(null=True)
    content_hash = models.CharField(max_length=64)
    # The versions the import left, to tell a later edit in Amparo from the import's own.
    case_version = models.PositiveIntegerField()
    identity_version = models.PositiveIntegerField()
    run = models.ForeignKey(ImportRun, models.PROTECT, related_name="+")
    row_number = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "key_hash"],
                                               name="imported_record_key")]


class ImportChange(SealedModel):
    """One case a run created or updated. For an update, `before_sealed` holds the values it
    replaced (sealed under the case's key), which undo puts back."""

    run = models.ForeignKey(ImportRun, models.CASCADE, related_name="changes")
    case = models.ForeignKey(Case, models.SET_NULL, null=True, related_name="+")
    case_code = models.CharField(max_length=20)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    before_sealed = models.BinaryField(default=b"", editable=False)

    class Meta:
        indexes = [models.Index(fields=["run", "outcome"], name="import_change_run")]
