"""What the monitoring knows how to watch, and the words it uses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """One alert rule per kind. How each kind is computed lives in `conditions.py`; its
    thresholds, severity and who is told live in the `AlertRule` row an admin edits."""

    LOST_CONTACT = "sin_contacto", _("No contact for too long")
    FAILED_ATTEMPTS = "intentos_fallidos", _("Follow-up attempts failing")
    RISK_LEVEL = "riesgo_alto", _("High revictimisation risk")
    RISK_SIGN = "signo_riesgo", _("Risk signs at the last follow-up")
    STALLED = "proceso_detenido", _("Criminal case without movement")
    MISSED_HEARING = "audiencia_perdida", _("She missed a hearing")
    ARCHIVE = "archivo_sin_impugnar", _("Archive not yet challenged")
    DEADLINE_PASSED = "plazo_vencido", _("Legal deadline passed")
    HEARING_SOON = "audiencia_proxima", _("Upcoming hearing")
    DEADLINE_SOON = "plazo_proximo", _("Upcoming legal deadline")
    ACTIONS_OVERDUE = "acciones_vencidas", _("Overdue plan actions")
    PLAN_REVIEW = "plan_sin_revision", _("Care plan review overdue")
    ASSESSMENT_DUE = "valoracion_pendiente", _("Needs assessment due")
    RISK_DUE = "riesgo_pendiente", _("Risk assessment due")
    MINOR_NO_GUARDIAN = "nna_sin_tutor", _("Child without guardian or UPE recorded")
    LONG_OPEN = "caso_prolongado", _("Case open for years: review it")
    REFERRAL_UNANSWERED = "derivacion_sin_respuesta", _("Referral without answer")
    DATA_GAPS = "datos_por_completar", _("Data to complete (age, document or sex unknown)")


class Severity(models.IntegerChoices):
    HIGH = 3, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 1, _("Low")


class Status(models.TextChoices):
    OPEN = "abierta", _("Open")
    ACKNOWLEDGED = "atendiendo", _("Acknowledged")
    SNOOZED = "pospuesta", _("Snoozed")
    RESOLVED = "resuelta", _("Resolved")


LIVE = (Status.OPEN, Status.ACKNOWLEDGED, Status.SNOOZED)


class EventKind(models.TextChoices):
    ACKNOWLEDGED = "atendida", _("acknowledged")
    SNOOZED = "pospuesta", _("snoozed")
    RESOLVED = "resuelta", _("resolved")
    ESCALATED = "agravada", _("became more urgent")
    WOKE = "reactivada", _("snooze ended")


class RiskLevel(models.TextChoices):
    LOW = "bajo", _("Low")
    MEDIUM = "medio", _("Medium")
    HIGH = "alto", _("High")


LEVEL_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class Slot(models.TextChoices):
    """Who is told: a place in the case's team, or the office's coordinators."""

    WORKER = "worker", _("the responsible worker")
    PSYCHOLOGIST = "psychologist", _("the psychologist")
    LAWYER = "lawyer", _("the lawyer")
    COORDINATOR = "coordinator", _("the office's coordinators")
