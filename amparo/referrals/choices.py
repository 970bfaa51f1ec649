"""Vocabularies of the referral network. Codes are stored; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    FISTRAP = "fistrap", _("Specialised trafficking prosecutor (FISTRAP)")
    PROSECUTOR = "fiscalia", _("Other prosecutor's office")
    UDAVIT = "udavit", _("Victim and witness assistance (UDAVIT)")
    FORENSIC = "iml", _("Forensic medicine (IML)")
    POLICE_UNIT = "pnp_trata", _("Police trafficking unit (DIRCTPTIM, DEPTPTIM)")
    POLICE = "comisaria", _("Police station (comisaría)")
    COURT = "juzgado", _("Court")
    CEM = "cem", _("Centro Emergencia Mujer (CEM)")
    DEMUNA = "demuna", _("DEMUNA")
    UPE = "upe", _("Special protection unit (UPE)")
    CAR = "car", _("Residential care centre (CAR)")
    SHELTER = "acogida", _("Temporary shelter for adults")
    INABIF = "inabif", _("INABIF")
    PUBLIC_DEFENCE = "defensa_publica", _("Public defence (Defensa Pública)")
    HEALTH = "salud", _("Health facility (MINSA, SIS)")
    RENIEC = "reniec", _("RENIEC")
    MIGRACIONES = "migraciones", _("Migraciones")
    SUNAFIL = "sunafil", _("SUNAFIL")
    LABOUR = "mtpe", _("Employment services (MTPE)")
    EDUCATION = "educacion", _("Education (MINEDU, UGEL, CEBA)")
    CONSULATE = "consulado", _("Consulate or RREE")
    OMBUDSMAN = "defensoria", _("Defensoría del Pueblo")
    MINISTRY = "ministerio", _("Ministry or national body")
    REGIONAL_GOVERNMENT = "gobierno_regional", _("Regional government")
    NGO = "ong", _("Partner organisation")
    OTHER = "otra", _("Other")


class Sector(models.TextChoices):
    STATE = "estado", _("State")
    CIVIL_SOCIETY = "sociedad_civil", _("Civil society")
    INTERNATIONAL = "internacional", _("International cooperation")


class Purpose(models.TextChoices):
    HEALTH = "salud", _("Health")
    MENTAL_HEALTH = "salud_mental", _("Mental health")
    SHELTER = "albergue", _("Shelter")
    DOCUMENTATION = "documentacion", _("Identity documents")
    LEGAL_DEFENCE = "defensa_legal", _("Legal defence")
    COMPLAINT = "denuncia", _("Complaint and investigation")
    PROTECTION = "proteccion", _("Protection measures")
    CHILD_PROTECTION = "proteccion_nna", _("Child protection")
    EDUCATION = "educacion", _("Education")
    EMPLOYMENT = "empleo", _("Employment and training")
    MIGRATION = "migracion", _("Migration status")
    SOCIAL_AID = "apoyo_social", _("Social and economic aid")
    RETURN = "retorno", _("Safe return")
    OTHER = "otro", _("Other")


class Direction(models.TextChoices):
    OUTGOING = "saliente", _("We referred her")
    INCOMING = "entrante", _("Referred to us")


class Status(models.TextChoices):
    SENT = "enviada", _("Sent")
    RECEIVED = "recibida", _("Received")
    ACCEPTED = "aceptada", _("Accepted")
    REJECTED = "rechazada", _("Rejected")
    ATTENDED = "atendida", _("Attended")
    NO_ANSWER = "sin_respuesta", _("No answer")
    CLOSED = "cerrada", _("Closed")


# Status → the statuses it may move to. A closed referral stays closed: a new need is a new
# referral, so each answer stays attached to the request it answered.
TRANSITIONS = {
    Status.SENT: {Status.ACCEPTED, Status.REJECTED, Status.ATTENDED, Status.NO_ANSWER,
                  Status.CLOSED},
    Status.NO_ANSWER: {Status.ACCEPTED, Status.REJECTED, Status.ATTENDED, Status.CLOSED},
    Status.RECEIVED: {Status.ACCEPTED, Status.REJECTED, Status.CLOSED},
    Status.ACCEPTED: {Status.ATTENDED, Status.CLOSED},
    Status.REJECTED: {Status.CLOSED},
    Status.ATTENDED: {Status.CLOSED},
    Status.CLOSED: set(),
}
AWAITING = (Status.SENT, Status.NO_ANSWER)  # statuses in which an answer is still owed


class Shared(models.TextChoices):
    """What went with a referral. Anything but the case code is personal data."""

    CODE_ONLY = "codigo", _("Only the case code")
    IDENTITY = "identidad", _("Name and identity document")
    CONTACT = "contacto", _("Phone or address")
    SUMMARY = "resumen", _("Summary of what happened")
    NEEDS = "necesidades", _("Needs assessment")
    HEALTH = "salud", _("Health or psychological reports")
    LEGAL = "legal", _("Legal documents")


PERSONAL = {s for s in Shared.values if s != Shared.CODE_ONLY}


class Outcome(models.TextChoices):
    PROVIDED = "brindado", _("Service provided")
    PARTIAL = "parcial", _("Partly provided")
    NOT_PROVIDED = "no_brindado", _("Not provided")
    DECLINED = "desistio", _("She decided not to go on")
    OTHER = "otro", _("Other")
