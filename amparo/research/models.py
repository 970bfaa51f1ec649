"""Studies and what they may hold. A study names its question, its period and the variables it
asks for; the director approves it in writing. Its cases are the ones whose research consent
is in force, known to the research team only by a pseudonym made for that study. Testimony
excerpts are de-identified by the case team, checked by a person, kept sealed and coded by the
research team with a codebook. Every export and every noisy release is recorded; releases spend
a privacy-loss budget kept in a ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.cases.models import Case
from amparo.crypto.fields import SealedModel, sealed_text
from amparo.research import choices

User = settings.AUTH_USER_MODEL


class Study(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=choices.Kind.choices)
    question = models.TextField(_("research question"))
    starts_on = models.DateField(_("cases registered from"))
    ends_on = models.DateField(_("cases registered until"))
    variables = models.JSONField(_("variables requested"), default=list, blank=True)
    excerpts_allowed = models.BooleanField(_("coded excerpts of testimonies"), default=False)
    professional_notes = models.BooleanField(
        _("psychological or legal notes may be excerpted (with their professional)"),
        default=False)
    k = models.PositiveSmallIntegerField(_("k (smallest group in an export)"), default=11)
    epsilon_budget = models.DecimalField(_("privacy-loss budget (ε)"), max_digits=6,
                                         decimal_places=3, default=1)
    members = models.ManyToManyField(User, related_name="studies", blank=True,
                                     verbose_name=_("research team"))
    status = models.CharField(_("status"), max_length=12, choices=choices.Status.choices,
                              default=choices.Status.DRAFT)
    decision = models.TextField(_("written decision"), blank=True)
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["members"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def approved(self) -> bool:
        return self.status == choices.Status.APPROVED


class Pseudonym(models.Model):
    """A case's research id in one study: random, made when the case first enters the study,
    never derived from the case code, and different in every study."""

    study = models.ForeignKey(Study, models.CASCADE, related_name="pseudonyms")
    case = models.ForeignKey(Case, models.CASCADE, related_name="+")
    research_id = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)  # research consent withdrawn

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "case"], name="pseudonym_once"),
            models.UniqueConstraint(fields=["study", "research_id"], name="research_id_unique"),
        ]


class Theme(models.Model):
    """A code of the study's codebook: a theme or, with a parent, a sub-theme."""

    study = models.ForeignKey(Study, models.CASCADE, related_name="themes")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True,
                               related_name="children")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("when to apply it"), blank=True)

    class Meta:
        ordering = ["study", "code"]
        constraints = [models.UniqueConstraint(fields=["study", "code"], name="theme_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Excerpt(SealedModel):
    """A passage of a sealed account or note, de-identified (names, places, dates and numbers
    replaced with tags) and checked by a person before any coder sees it. It stays sealed under
    its case's key; only the study's coders open it, in the coding workspace."""

    study = models.ForeignKey(Study, models.CASCADE, related_name="excerpts")
    pseudonym = models.ForeignKey(Pseudonym, models.PROTECT, related_name="excerpts")
    source = models.CharField(max_length=10, choices=choices.ExcerptSource.choices)
    source_id = models.CharField(max_length=40)  # the episode's or note's id, for the case team
    text_sealed = models.BinaryField(editable=False)
    tags = models.JSONField(default=dict, blank=True)  # {tag: how many were replaced}
    selected_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    checked_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    quote_approved = models.BooleanField(default=False)  # may leave Amparo as a quote
    created_at = models.DateTimeField(auto_now_add=True)
    text = sealed_text("text")

    class Meta:
        ordering = ["created_at"]

    @property
    def checked(self) -> bool:
        return self.checked_at is not None


class Coding(models.Model):
    """One coder's work on one excerpt: the themes she applied (possibly none) once done."""

    excerpt = models.ForeignKey(Excerpt, models.CASCADE, related_name="codings")
    coder = models.ForeignKey(User, models.PROTECT, related_name="+")
    themes = models.ManyToManyField(Theme, related_name="codings", blank=True)
    done_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["excerpt", "coder"], name="coded_once")]


class Export(models.Model):
    """A record-level extract as it left Amparo: who, when, which study, how many rows, what the
    k-anonymity check generalised and suppressed, and which cases had left by consent."""

    study = models.ForeignKey(Study, models.PROTECT, related_name="exports")
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    format = models.CharField(max_length=4, choices=choices.Format.choices)
    rows = models.PositiveIntegerField()
    generalised_rows = models.PositiveIntegerField(default=0)
    generalised_cells = models.PositiveIntegerField(default=0)
    suppressed_rows = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)  # left since the previous extract
    k = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at"]


class Release(models.Model):
    """A noisy statistic as released: its query, the privacy loss it spent and its answer. The
    same query asked again returns this release and spends nothing."""

    study = models.ForeignKey(Study, models.PROTECT, null=True, blank=True,
                              related_name="releases")  # none: a public fact sheet
    query = models.CharField(max_length=200)  # the canonical query, e.g. "by=sex|2020..2024"
    year = models.PositiveSmallIntegerField()  # the calendar year whose budget it spent
    mechanism = models.CharField(max_length=10, choices=choices.Mechanism.choices)
    epsilon = models.DecimalField(max_digits=6, decimal_places=3)
    delta = models.FloatField(default=0)
    scale = models.FloatField()
    margin = models.FloatField()  # half-width of the 95 % interval of each count
    answer = models.JSONField()  # {category: noisy count}
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["study", "query"], name="release_once_per_query"),
            models.UniqueConstraint(fields=["query"], condition=models.Q(study__isnull=True),
                                    name="public_release_once_per_query"),
        ]


class YearBudget(models.Model):
    """The privacy loss the organisation accepts in a calendar year, over every release (the
    studies' and the public fact sheet's). Its row is also the lock that keeps two releases
    from spending the same budget at once."""

    year = models.PositiveSmallIntegerField(unique=True)
    epsilon = models.DecimalField(_("privacy-loss budget for the year (ε)"), max_digits=6,
                                  decimal_places=3, default=3)

    class Meta:
        ordering = ["-year"]
