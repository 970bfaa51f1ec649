"""Results frameworks as data: a donor's or the organisation's framework with its reporting
periods, its result tree, indicators with the fields of a performance indicator reference sheet,
targets per period and region, and the values reported, which move from draft to locked.

An indicator is computed from the records (its `measure`, a small JSON description read by
`compute.py`: which records, what to count, which filters) or entered by hand with its
evidence. Nothing here is about one person: values are aggregates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.results import choices


class Framework(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("donor or owner"), max_length=200, blank=True)
    internal = models.BooleanField(_("internal framework"), default=False)
    period_kind = models.CharField(_("reporting periods"), max_length=12,
                                   choices=choices.PeriodKind.choices)
    fiscal_start_month = models.PositiveSmallIntegerField(_("fiscal year starts in month"),
                                                          default=1)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["internal", "-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="results")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True,
                               related_name="children")
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("result"))

    class Meta:
        ordering = ["framework", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"],
                                               name="result_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class Indicator(models.Model):
    framework = models.ForeignKey(Framework, models.CASCADE, related_name="indicators")
    result = models.ForeignKey(Result, models.SET_NULL, null=True, blank=True,
                               related_name="indicators")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("indicator"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=choices.Unit.choices)
    time_rule = models.CharField(_("time rule"), max_length=10, choices=choices.TimeRule.choices)
    measure = models.JSONField(_("how it is computed"), default=dict, blank=True)  # {} = manual
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    method = models.TextField(_("collection method"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=60, blank=True)
    responsible = models.CharField(_("responsible"), max_length=120, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True,
                                   blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    external_codes = models.JSONField(_("external codes"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"],
                                               name="indicator_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def computed(self) -> bool:
        return bool(self.measure)


class Target(models.Model):
    """What an indicator should reach in a period: in total, or for one category of one of its
    dimensions (a department, an office, girls under 18, judges...)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    period_start = models.DateField()
    period_end = models.DateField()
    dimension = models.CharField(_("breakdown"), max_length=20, blank=True)  # "" = the total
    category = models.CharField(_("category"), max_length=60, blank=True)  # its stored code
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start", "dimension", "category"]
        constraints = [models.UniqueConstraint(
            fields=["indicator", "period_start", "period_end", "dimension", "category"],
            name="target_unique")]


class Value(models.Model):
    """An indicator's value for one period, as computed (or entered) and then approved. Once
    locked it never changes: a recomputation that differs is kept beside it (`pending`), for
    the director to see and approve or dismiss."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=2)
    numerator = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    breakdowns = models.JSONField(default=dict, blank=True)  # {dimension: {category: n}}
    records_read = models.PositiveIntegerField(default=0)
    evidence = models.TextField(_("evidence"), blank=True)  # manual values
    status = models.CharField(max_length=10, choices=choices.Status.choices,
                              default=choices.Status.DRAFT)
    pending = models.JSONField(null=True, blank=True)  # a recomputation that differs, if locked
    computed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period_start", "period_end"],
                                               name="value_once_per_period")]
