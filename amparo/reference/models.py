"""Reference data: Peru's UBIGEO geography and the controlled vocabularies.

Codes are what records store; labels are shown and translated. A term is never deleted: a
later version of the vocabulary retires it, so that stored codes keep their meaning.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Department(models.Model):
    code = models.CharField(_("UBIGEO code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    code = models.CharField(_("UBIGEO code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    department = models.ForeignKey(Department, models.PROTECT, related_name="provinces")

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.CharField(_("UBIGEO code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    province = models.ForeignKey(Province, models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")

    def __str__(self) -> str:
        return self.name


class Vocabulary(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    source = models.TextField(_("source"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es").startswith("en") else self.name_es


class Term(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, models.PROTECT, related_name="terms")
    code = models.CharField(_("code"), max_length=60)
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    standard_code = models.CharField(
        _("standard code"),
        max_length=80,
        blank=True,
        help_text=_("The equivalent code in HTCDS, ISO or another standard, for exports."),
    )
    parent_code = models.CharField(_("parent code"), max_length=60, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered for new records"), default=True)
    since_version = models.PositiveIntegerField(_("since version"), default=1)
    retired_in_version = models.PositiveIntegerField(_("retired in version"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["vocabulary", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique"),
        ]
        verbose_name = _("term")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "es").startswith("en") else self.label_es
