"""The results' value sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    CALENDAR = "anual", _("Calendar year")
    FISCAL = "fiscal", _("Fiscal year (starting in any month)")
    QUARTER = "trimestral", _("Quarters")
    SEMESTER = "semestral", _("Half years")
    PROJECT = "proyecto", _("Project years (from the project's start)")
    LIFE = "vida", _("Life of project")


class Unit(models.TextChoices):
    PEOPLE = "personas", _("People")
    CASES = "casos", _("Cases")
    EVENTS = "eventos", _("Events")
    CURRENCY = "moneda", _("Money")
    PERCENT = "porcentaje", _("Percent")
    COUNT = "numero", _("Number")


class TimeRule(models.TextChoices):
    """How a value over a range follows from the records or the periods inside it."""

    DISTINCT = "distintos", _("Distinct over the range (never a sum of periods)")
    SUM = "suma", _("Sum")
    LAST = "ultimo", _("Last value")
    AVERAGE = "promedio", _("Average of the periods")


class Status(models.TextChoices):
    DRAFT = "borrador", _("Draft")
    SUBMITTED = "enviado", _("Submitted")
    APPROVED = "aprobado", _("Approved")
    LOCKED = "cerrado", _("Locked")
