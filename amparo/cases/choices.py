"""Fixed lists that belong to the case workflow itself (not controlled vocabularies that the
organisation or a standard maintains: those live in the reference app)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTRO = "registro", _("Registration")
    VALORACION = "valoracion", _("Assessment")
    PLAN = "plan", _("Care plan")
    ATENCION = "atencion", _("Care")
    SEGUIMIENTO = "seguimiento", _("Follow-up")
    CERRADO = "cerrado", _("Closed")


# Forward steps; a case can go back one step or be closed from any open status.
WORKFLOW = [Status.REGISTRO, Status.VALORACION, Status.PLAN, Status.ATENCION, Status.SEGUIMIENTO]


class Arrival(models.TextChoices):
    PROSECUTOR = "fiscalia", _("Public prosecutor (Fiscalía)")
    POLICE = "policia", _("Police (PNP)")
    SHELTER = "albergue", _("Shelter (CAR) or UPE")
    FAMILY = "familia", _("Family")
    SELF = "propia", _("On her own")
    HOTLINE = "linea", _("Hotline (1818, 100)")
    PARTNER = "aliada", _("Partner organisation")
    OTHER = "otra", _("Other")


class Priority(models.TextChoices):
    HIGH = "alta", _("High")
    MEDIUM = "media", _("Medium")
    LOW = "baja", _("Low")


class Guardian(models.TextChoices):
    PARENT = "madre_padre", _("Mother or father")
    RELATIVE = "familiar", _("Other relative")
    UPE = "upe", _("UPE (protection unit, MIMP)")
    CAR = "car", _("CAR (residential care centre)")
    OTHER = "otro", _("Other legal guardian")


class Disability(models.TextChoices):
    PHYSICAL = "fisica", _("Physical")
    VISUAL = "visual", _("Visual")
    HEARING = "auditiva", _("Hearing")
    INTELLECTUAL = "intelectual", _("Intellectual")
    PSYCHOSOCIAL = "psicosocial", _("Psychosocial")


class EpisodeKind(models.TextChoices):
    RECRUITMENT = "captacion", _("Recruitment")
    TRANSIT = "traslado", _("Transit")
    EXPLOITATION = "explotacion", _("Exploitation")



class EpisodeEnd(models.TextChoices):
    RESCUE = "rescate", _("Rescue (police or prosecutor operation)")
    ESCAPE = "escape", _("Escape")
    RELEASED = "liberada", _("Let go by the exploiters")
    REPORTED = "denuncia", _("Complaint by her or her family")
    OTHER = "otro", _("Other")
    ONGOING = "en_curso", _("Not ended / not known")


class ConsentScope(models.TextChoices):
    CARE = "atencion", _("Care by the organisation")
    SHARING = "compartir", _("Sharing with institutions")
    RESEARCH = "investigacion", _("Research use")
    STATISTICS = "estadistica", _("Statistics")


class ConsentGiver(models.TextChoices):
    SURVIVOR = "sobreviviente", _("The survivor")
    GUARDIAN = "tutor", _("Her guardian")


class Domain(models.TextChoices):
    SAFETY = "seguridad", _("Safety")
    HEALTH = "salud", _("Health")
    MENTAL_HEALTH = "salud_mental", _("Mental health")
    LEGAL = "legal", _("Legal")
    DOCUMENTATION = "documentacion", _("Documentation")
    HOUSING = "vivienda", _("Housing")
    EDUCATION = "educacion", _("Education")
    WORK = "trabajo", _("Work and income")
    FAMILY = "familia", _("Family")
    MIGRATION = "migracion", _("Migration status")


SCORE_LABELS = {
    0: _("0 · no need"),
    1: _("1 · low"),
    2: _("2 · moderate"),
    3: _("3 · high"),
    4: _("4 · critical"),
}


class Horizon(models.TextChoices):
    SHORT = "corto", _("Short term (up to 6 months)")
    LONG = "largo", _("Long term (up to 2 years)")


class PlanStatus(models.TextChoices):
    DRAFT = "borrador", _("Draft")
    APPROVED = "aprobado", _("Approved")
    SUPERSEDED = "reemplazado", _("Replaced by a newer plan")


class ActionStatus(models.TextChoices):
    PENDING = "pendiente", _("Pending")
    IN_PROGRESS = "en_curso", _("In progress")
    DONE = "hecha", _("Done")
    CANCELLED = "cancelada", _("Cancelled")


class ServiceKind(models.TextChoices):
    LEGAL_COUNSEL = "asesoria_legal", _("Legal counsel")
    COURT = "acompanamiento_judicial", _("Court accompaniment")
    PSYCHOLOGICAL = "sesion_psicologica", _("Psychological session")
    SOCIAL_WORK = "trabajo_social", _("Social work")
    HEALTH = "salud", _("Health")
    EDUCATION = "educacion", _("Education")
    EMPLOYMENT = "empleo", _("Employment and entrepreneurship")
    SHELTER = "albergue", _("Shelter")
    RETURN = "retorno", _("Return to place of origin")
    DOCUMENTATION = "documentacion", _("Documentation")
    ECONOMIC_AID = "apoyo_economico", _("Economic aid")
    DEVICE = "dispositivo", _("Device or connectivity")
    WORKSHOP = "taller", _("Workshop")


class Mode(models.TextChoices):
    IN_PERSON = "presencial", _("In person")
    REMOTE = "remoto", _("Remote")


class Channel(models.TextChoices):
    PHONE = "telefono", _("Phone call")
    MESSAGE = "mensaje", _("Message (WhatsApp, SMS)")
    VIDEO = "video", _("Video call")
    HOME_VISIT = "visita", _("Home visit")
    OFFICE = "oficina", _("At the office")


class Wellbeing(models.TextChoices):
    GOOD = "bien", _("Doing well")
    STABLE = "estable", _("Stable")
    STRUGGLING = "dificultades", _("Struggling")
    CRISIS = "crisis", _("In crisis")


class RiskSign(models.TextChoices):
    TRAFFICKER_CONTACT = "contacto_tratante", _("Contact from the trafficker or network")
    THREATS = "amenazas", _("Threats to her or her family")
    NEW_OFFER = "nueva_oferta", _("A new suspicious job offer or trip")
    BACK_IN_EXPLOITATION = "reexplotacion", _("Signs she is being exploited again")
    RETURNED = "regreso_lugar", _("She went back to the place of exploitation")
    MISSING = "desaparecida", _("She went missing for a while")
    VIOLENCE = "violencia", _("Violence at home or by a partner")
    LEFT_SCHOOL_OR_WORK = "deja_estudios_trabajo", _("She left school or work")
    SUBSTANCES = "sustancias", _("Substance use")
    DEBTS = "deudas", _("New debts or pressure to pay")
    LOST_HOUSING = "sin_vivienda", _("Lost her housing")
    LEFT_PROCESS = "abandona_proceso", _("Wants to drop the criminal case")


class Sensitivity(models.TextChoices):
    GENERAL = "general", _("General")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    LEGAL = "legal", _("Legal")


# Which permission a note of each sensitivity needs beyond seeing the case, and which team
# member of the case must hold it ("only psychologists on the case").
NOTE_ACCESS = {
    Sensitivity.PSYCHOLOGICAL: ("note.psychological.view", "psychologist"),
    Sensitivity.LEGAL: ("note.legal.view", "lawyer"),
}


class DocumentKind(models.TextChoices):
    CONSENT_FORM = "consentimiento", _("Signed consent form")
    IDENTITY = "identidad", _("Identity document")
    MEDICAL = "medico", _("Medical or psychological report")
    LEGAL = "legal", _("Legal document")
    OTHER = "otro", _("Other")


class ClosureReason(models.TextChoices):
    GOALS_MET = "objetivos_cumplidos", _("Care plan goals met")
    HER_DECISION = "decision_propia", _("Her own decision")
    LOST_CONTACT = "sin_contacto", _("Lost contact")
    REFERRED = "derivada", _("Referred to another service")
    MOVED = "traslado", _("Moved away or returned home")
    DECEASED = "fallecimiento", _("Death")
    OTHER = "otro", _("Other")


class Outcome(models.TextChoices):
    JUSTICE = "acceso_justicia", _("Access to justice")
    STUDIES = "estudios", _("Studies")
    WORK = "empleo", _("Work")
    BUSINESS = "emprendimiento", _("Own business")
    SAFETY = "seguridad", _("Safety")


# What an old record may leave unknown about her ("datos por completar"): code → what is missing.
IDENTITY_GAPS = {"edad": _("age"), "documento": _("document type"), "sexo": _("sex")}


def identity_gaps(*, birth_date, estimated_age, document_type, sex) -> list[str]:
    """The IDENTITY_GAPS codes this identity has, in their order."""
    empty = {"edad": birth_date is None and estimated_age is None,
             "documento": not document_type, "sexo": not sex}
    return [code for code in IDENTITY_GAPS if empty[code]]
