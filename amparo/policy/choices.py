"""The watchdog's value sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Axis(models.TextChoices):
    """The report's axes (the PNAT 2017–2021's four, which the Informe Alternativo keeps)."""

    GOVERNANCE = "gobernanza", _("Institutional governance")
    PREVENTION = "prevencion", _("Prevention and awareness")
    ATTENTION = "atencion", _("Attention, protection and reintegration")
    PROSECUTION = "persecucion", _("Inspection and prosecution")


class Condition(models.TextChoices):
    NEW = "nuevo", _("New")
    IMPROVED = "mejora", _("Improved")
    UNKNOWN = "", _("Not known yet")


class Implementation(models.TextChoices):
    NO_INFORMATION = "sin_informacion", _("No information")
    NOT_STARTED = "no_iniciado", _("Not started")
    IN_PROGRESS = "en_proceso", _("In progress")
    IMPLEMENTED = "implementado", _("Implemented")


class SourceKind(models.TextChoices):
    MEF = "mef", _("MEF budget transparency query")
    REPLY = "respuesta", _("Reply to an information request")
    NORM = "norma", _("Norm")
    REPORT = "informe", _("Official report")
    OTHER = "otro", _("Other")


class Completeness(models.TextChoices):
    COMPLETE = "completa", _("Complete")
    PARTIAL = "parcial", _("Partial")
    DENIED = "denegada", _("Denied")


class RequestState(models.TextChoices):
    """Worked out from the dates, never typed."""

    PENDING = "pendiente", _("Waiting, within the deadline")
    OVERDUE = "vencida", _("Overdue, not answered")
    ANSWERED = "respondida", _("Answered on time")
    LATE = "tardia", _("Answered late")


class InstrumentKind(models.TextChoices):
    REGIONAL_PLAN = "plan_regional", _("Regional plan against trafficking")
    DEVELOPMENT_PLAN = "pdrc", _("Regional development plan")
    INSTITUTIONAL_PLAN = "pei", _("Institutional plan")
    OPERATING_PLAN = "poa", _("Annual operating plan")
    ORDINANCE = "ordenanza", _("Regional ordinance")
    NETWORK = "red", _("Regional commission or network")


class Chapter(models.TextChoices):
    """The report's chapters, in order (the VII edition's)."""

    METHODOLOGY = "metodologia", _("Methodology")
    CONTEXT = "contexto", _("Context")
    GOVERNANCE = "gobernanza", _("Institutional governance")
    PREVENTION = "prevencion", _("Prevention and awareness")
    ATTENTION = "atencion", _("Attention, protection and reintegration")
    PROSECUTION = "persecucion", _("Inspection and prosecution")
    CIVIL_SOCIETY = "sociedad_civil", _("Civil society")
    CHALLENGES = "retos", _("Main challenges")


AXIS_CHAPTERS = {Axis.GOVERNANCE: Chapter.GOVERNANCE, Axis.PREVENTION: Chapter.PREVENTION,
                 Axis.ATTENTION: Chapter.ATTENTION, Axis.PROSECUTION: Chapter.PROSECUTION}
