"""The person, her identity and her cases.

A person is known everywhere by a pseudonymous code; her names live only in `Identity`, which
only roles that need it read. Each of her cases has its own code (`LIM-2026-0153`) used in lists,
URLs and the API. Vocabulary fields store reference codes (see the reference app).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.accounts.models import Office
from amparo.cases import choices
from amparo.crypto.fields import SealedModel, SealedRow, sealed_text
from amparo.crypto.models import DataKey

ADULT_AGE = 18


def age_on(birth_date: date | None, estimated_age: int | None, day: date) -> int | None:
    """Whole years on the day, from the birth date, or the estimated age when it is unknown."""
    if birth_date:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                     birth_date.day))
    return estimated_age


class Person(models.Model):
    code = models.CharField(_("person code"), max_length=12, unique=True)
    data_key = models.ForeignKey(DataKey, models.PROTECT, related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")

    def __str__(self) -> str:
        return self.code


class Identity(SealedModel):
    """Who she is. Names stay in plain text so that search and record linkage work; contacts and
    address are sealed under the person's data key."""

    person = models.OneToOneField(Person, models.PROTECT, related_name="identity")
    given_names = models.CharField(_("given names"), max_length=120, blank=True)
    paternal_surname = models.CharField(_("paternal surname"), max_length=80, blank=True)
    maternal_surname = models.CharField(_("maternal surname"), max_length=80, blank=True)
    social_name = models.CharField(_("social name or alias"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=60, blank=True)
    gender_identity = models.CharField(_("gender identity"), max_length=60, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age at intake"), null=True, blank=True
    )
    nationality = models.CharField(_("nationality"), max_length=60, blank=True)
    document_type = models.CharField(_("document type"), max_length=60, blank=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    indigenous_people = models.CharField(_("indigenous people"), max_length=60, blank=True)
    mother_tongue = models.CharField(_("mother tongue"), max_length=60, blank=True)
    disabilities = models.JSONField(_("disability"), default=list, blank=True)
    origin_ubigeo = models.CharField(_("place of origin (UBIGEO)"), max_length=6, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)
    contacts_sealed = models.BinaryField(default=b"", editable=False)
    address_sealed = models.BinaryField(default=b"", editable=False)
    # Lower case, no accents: what the search and the duplicate finder compare.
    search_name = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    search_document = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_name", "search_document"])

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")

    def __str__(self) -> str:
        return self.full_name or str(_("(no name recorded)"))

    @property
    def full_name(self) -> str:
        return " ".join(
            p for p in (self.given_names, self.paternal_surname, self.maternal_surname) if p
        )

    def age_on(self, day: date) -> int | None:
        return age_on(self.birth_date, self.estimated_age, day)

    @property
    def gaps(self) -> list[str]:
        """What an old record left unknown ("datos por completar"): `edad`, `documento`,
        `sexo`. Shown on her identity page and followed by an alert until filled."""
        return choices.identity_gaps(birth_date=self.birth_date,
                                     estimated_age=self.estimated_age,
                                     document_type=self.document_type, sex=self.sex)


class CaseCounter(models.Model):
    """The last sequence number given to a case of an office in a year."""

    office = models.ForeignKey(Office, models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="case_counter_unique")
        ]


class Case(models.Model):
    code = models.CharField(_("case code"), max_length=20, unique=True)
    person = models.ForeignKey(Person, models.PROTECT, related_name="cases")
    data_key = models.ForeignKey(DataKey, models.PROTECT, related_name="+", editable=False)
    office = models.ForeignKey(Office, models.PROTECT, related_name="cases",
                               verbose_name=_("office"))
    intake_date = models.DateField(_("intake date"))
    # The number the office's old register gave the case, for cases brought in by an import.
    legacy_number = models.CharField(_("number in the old register"), max_length=40, blank=True)
    arrival = models.CharField(_("how she arrived"), max_length=20, choices=choices.Arrival.choices)
    victim_status = models.CharField(_("victim status"), max_length=60)
    priority = models.CharField(
        _("priority"), max_length=10, choices=choices.Priority.choices,
        default=choices.Priority.MEDIUM,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=choices.Status.choices, default=choices.Status.REGISTRO
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="cases_as_worker",
        verbose_name=_("responsible worker"),
    )
    psychologist = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
        related_name="cases_as_psychologist", verbose_name=_("psychologist"),
    )
    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
        related_name="cases_as_lawyer", verbose_name=_("lawyer"),
    )
    age_at_intake = models.PositiveSmallIntegerField(_("age at intake"), null=True, blank=True)
    is_minor = models.BooleanField(_("minor at intake"), default=False)
    guardian_type = models.CharField(
        _("guardian or institution responsible"), max_length=20,
        choices=choices.Guardian.choices, blank=True,
    )
    guardian_sealed = models.BinaryField(default=b"", editable=False)
    # Denormalised from the episodes, for the list filter: every form of exploitation recorded.
    forms = models.JSONField(_("forms of exploitation"), default=list, blank=True, editable=False)
    closure_reason = models.CharField(
        _("reason for closure"), max_length=30, choices=choices.ClosureReason.choices, blank=True
    )
    closure_outcomes = models.JSONField(_("outcomes"), default=list, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["forms"])

    class Meta:
        ordering = ["-intake_date", "-id"]
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["office", "-intake_date", "-id"], name="case_office_intake"),
            models.Index(fields=["office", "status", "-intake_date"], name="case_office_status"),
            models.Index(fields=["worker", "status"], name="case_worker_status"),
            models.Index(fields=["psychologist"], name="case_psychologist"),
            models.Index(fields=["lawyer"], name="case_lawyer"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.status == choices.Status.CERRADO

    # The guardian's name and contact are sealed like other contacts.
    def unseal_guardian(self) -> str:
        from amparo.crypto.envelope import context_for, open_text

        return open_text(self.data_key, self.guardian_sealed, context_for(self, "guardian"))


class StatusChange(SealedRow):
    """A move in the workflow. Why it was closed, reopened or stepped back is about her life,
    so it is sealed under the case's key."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=choices.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=choices.Status.choices)
    reason_sealed = models.BinaryField(default=b"", editable=False)
    reason = sealed_text("reason")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["changed_at", "id"]


class BreakGlass(SealedModel):
    """Emergency access to a case outside one's scope ("breaking the glass"): read-only, for a
    few hours, with a written reason (sealed under the case's key: it may say why she is in
    danger). The office's coordinators and the directors are told at once; a supervisor
    reviews each one."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reason_sealed = models.BinaryField(default=b"", editable=False)
    reason = sealed_text("reason")
    opened_at = models.DateTimeField(auto_now_add=True)
    until = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)  # ended early by the user
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note_sealed = models.BinaryField(default=b"", editable=False)
    review_note = sealed_text("review_note")

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "until"], name="glass_user_until")]

    @property
    def ends_at(self):
        return min(self.until, self.ended_at) if self.ended_at else self.until
