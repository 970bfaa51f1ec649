"""The institutions a survivor may be referred to, and the referrals themselves.

An institution is public directory data (no survivor data). A referral belongs to a case: what
was asked, what was shared and what the institution answered are sealed under the case's key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.cases.models import Case, Consent
from amparo.crypto.fields import SealedModel, sealed_text
from amparo.referrals import choices

User = settings.AUTH_USER_MODEL


class Institution(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=choices.InstitutionKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=choices.Sector.choices,
                              default=choices.Sector.STATE)
    ubigeo = models.CharField(_("place (UBIGEO)"), max_length=6)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    provides = models.JSONField(_("what it provides"), default=list, blank=True)
    notes = models.TextField(_("notes for the team"), blank=True)
    active = models.BooleanField(_("in service"), default=True)
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ubigeo", "name"]
        verbose_name = _("institution")
        indexes = [models.Index(fields=["kind", "ubigeo"], name="institution_kind_place")]

    def __str__(self) -> str:
        return f"{self.acronym} – {self.name}" if self.acronym else self.name

    @property
    def department(self) -> str:
        return self.ubigeo[:2]


class Referral(SealedModel):
    case = models.ForeignKey(Case, models.CASCADE, related_name="referrals")
    direction = models.CharField(_("direction"), max_length=10, choices=choices.Direction.choices,
                                 default=choices.Direction.OUTGOING)
    institution = models.ForeignKey(Institution, models.PROTECT, related_name="referrals",
                                    verbose_name=_("institution"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=choices.Purpose.choices)
    referred_on = models.DateField(_("date"))
    # An oficio's number finds her file at the institution: sealed like the rest.
    reference_sealed = models.BinaryField(_("document number (oficio, carta)"), default=b"",
                                          editable=False)
    shared = models.JSONField(_("what was shared"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=choices.Status.choices)
    status_on = models.DateField(_("status since"))
    answer_due_on = models.DateField(_("answer expected by"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=choices.Outcome.choices,
                               blank=True)
    note_sealed = models.BinaryField(default=b"", editable=False)
    answer_sealed = models.BinaryField(default=b"", editable=False)
    consent = models.ForeignKey(Consent, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("consent for sharing"))
    override_reason_sealed = models.BinaryField(default=b"", editable=False)
    override_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(User, models.PROTECT, related_name="+",
                                    verbose_name=_("referred by"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["note_sealed", "answer_sealed",
                                                 "override_reason_sealed", "reference_sealed"])
    reference = sealed_text("reference")

    class Meta:
        ordering = ["-referred_on", "-created_at"]
        indexes = [models.Index(fields=["status", "answer_due_on"], name="referral_awaiting")]

    @property
    def awaiting(self) -> bool:
        return self.status in choices.AWAITING

    @property
    def shares_personal_data(self) -> bool:
        return bool(set(self.shared) & choices.PERSONAL)
