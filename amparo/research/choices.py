"""The research app's value sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUANTITATIVE = "cuantitativo", _("Quantitative (records)")
    QUALITATIVE = "cualitativo", _("Qualitative (testimonies)")


class Status(models.TextChoices):
    DRAFT = "borrador", _("Draft")
    REQUESTED = "solicitado", _("Waiting for the director")
    APPROVED = "aprobado", _("Approved")
    REJECTED = "rechazado", _("Not approved")
    CLOSED = "cerrado", _("Closed")


class ExcerptSource(models.TextChoices):
    EPISODE = "episodio", _("Account of what happened")
    NOTE = "nota", _("Note")


class Format(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class Mechanism(models.TextChoices):
    LAPLACE = "laplace", _("Laplace (discrete)")
    GAUSSIAN = "gaussian", _("Gaussian (discrete)")
