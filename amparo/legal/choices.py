"""Vocabularies of criminal procedure (NCPP 2004), from docs' peru-domain reference §3."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    COMPLAINT = "denuncia", _("Complaint")
    PRELIMINARY = "diligencias_preliminares", _("Preliminary inquiry")
    INVESTIGATION = "investigacion_preparatoria", _("Formal investigation")
    INTERMEDIATE = "etapa_intermedia", _("Intermediate stage")
    TRIAL = "juicio_oral", _("Trial")
    APPEAL = "apelacion", _("Appeal")
    CASSATION = "casacion", _("Cassation")
    ENFORCEMENT = "ejecucion", _("Enforcement of the sentence")
    CONCLUDED = "concluido", _("Concluded")


class Decision(models.TextChoices):
    ARCHIVE = "archivo", _("Archived (no formal charges)")
    PROVISIONAL_RESERVE = "reserva_provisional", _("Provisionally shelved")
    REOPENING = "reapertura", _("Reopened (archive revoked or reserve lifted)")
    TRANSFER = "derivacion", _("Transferred to another office or court")
    FORMALISATION = "formalizacion", _("Formal investigation opened")
    DIRECT_INDICTMENT = "acusacion_directa", _("Direct indictment")
    INDICTMENT = "acusacion", _("Indictment")
    DISMISSAL = "sobreseimiento", _("Dismissal (sobreseimiento)")
    TRIAL_ORDER = "auto_enjuiciamiento", _("Order to go to trial")
    PLEA = "terminacion_anticipada", _("Early termination (plea agreement)")
    ADMISSION = "conclusion_anticipada", _("Early conclusion of the trial")
    CONVICTION = "sentencia_condenatoria", _("Conviction")
    ACQUITTAL = "sentencia_absolutoria", _("Acquittal")
    APPEAL_CONFIRMS = "sentencia_vista_confirma", _("Appeal judgment: confirms")
    APPEAL_REVERSES = "sentencia_vista_revoca", _("Appeal judgment: reverses")
    APPEAL_ANNULS = "sentencia_vista_nula", _("Appeal judgment: annuls (new trial)")
    CASSATION_GRANTED = "casacion_fundada", _("Cassation granted")
    CASSATION_DENIED = "casacion_infundada", _("Cassation dismissed")
    CASSATION_INADMISSIBLE = "casacion_improcedente", _("Cassation inadmissible")
    FINAL = "sentencia_firme", _("Final judgment (conviction)")
    EXTINCTION = "extincion_accion", _("Criminal action extinguished")
    CONTUMACY = "reo_contumaz_ausente", _("Accused absconded or absent")


class Track(models.TextChoices):
    ORDINARY = "comun", _("Ordinary")
    IMMEDIATE = "inmediato", _("Immediate process")
    PLEA = "terminacion_anticipada", _("Early termination")
    COOPERATION = "colaboracion_eficaz", _("Cooperation agreement")


class Representation(models.TextChoices):
    OUR_LAWYER = "organizacion", _("The organisation's lawyer")
    PUBLIC_DEFENCE = "defensa_publica", _("Public defence for victims")
    PRIVATE = "particular", _("Private lawyer")
    PROSECUTOR = "fiscalia", _("Only the prosecutor (not actor civil)")


class DefendantRole(models.TextChoices):
    RECRUITER = "captador", _("Recruiter")
    TRANSPORTER = "transportista", _("Transporter")
    HARBOURER = "acogedor", _("Harbours or receives")
    EXPLOITER = "explotador", _("Exploiter")
    MANAGER = "administrador", _("Manager of the place")
    FINANCIER = "financiador", _("Financier")
    CLIENT = "cliente", _("Client")
    OFFICIAL = "funcionario", _("Public official")
    OTHER = "otro", _("Other")


class DefendantSituation(models.TextChoices):
    UNIDENTIFIED = "no_identificado", _("Not identified")
    INVESTIGATED = "investigado", _("Under investigation")
    DETAINED = "prision_preventiva", _("In pre-trial detention")
    RELEASED = "comparecencia", _("Released pending trial")
    AT_LARGE = "no_habido", _("At large")
    ACCUSED = "acusado", _("Accused")
    CONVICTED = "sentenciado", _("Convicted")
    ACQUITTED = "absuelto", _("Acquitted")
    DISMISSED = "sobreseido", _("Case dismissed")


class PenaltyKind(models.TextChoices):
    CUSTODIAL = "efectiva", _("Custodial")
    SUSPENDED = "suspendida", _("Suspended")
    LIFE = "cadena_perpetua", _("Life imprisonment")


class HearingKind(models.TextChoices):
    DETENTION = "prision_preventiva", _("Pre-trial detention")
    EVIDENCE = "prueba_anticipada", _("Early evidence")
    PLEA = "terminacion_anticipada", _("Early termination")
    INDICTMENT = "control_acusacion", _("Review of the indictment")
    DISMISSAL = "control_sobreseimiento", _("Review of the dismissal")
    TRIAL = "juicio_oral", _("Trial session")
    JUDGMENT = "lectura_sentencia", _("Reading of the judgment")
    APPEAL = "apelacion", _("Appeal")
    CASSATION = "casacion", _("Cassation")
    REPARATION = "reparacion", _("Reparation or enforcement")
    OTHER = "otra", _("Other")


class HearingStatus(models.TextChoices):
    SCHEDULED = "programada", _("Scheduled")
    HELD = "realizada", _("Held")
    POSTPONED = "reprogramada", _("Postponed")
    SUSPENDED = "frustrada", _("Did not take place")
    CANCELLED = "cancelada", _("Cancelled")


class MeasureKind(models.TextChoices):
    SINGLE_INTERVIEW = "entrevista_unica", _("Single interview (entrevista única)")
    GESELL = "camara_gesell", _("Gesell chamber")
    EARLY_EVIDENCE = "prueba_anticipada", _("Early evidence (prueba anticipada)")
    CRIMINAL_PROTECTION = "medida_proteccion_penal", _("Protection measures (criminal case)")
    FAMILY_PROTECTION = "medida_proteccion_familia", _("Protection measures (Law 30364)")
    IDENTITY_RESERVE = "reserva_identidad", _("Reserve of identity")
    SHELTER = "acogida", _("Shelter")
    CHILD_PROTECTION = "medida_proteccion_nna", _("Child protection measure (UPE)")
    PSYCH_REPORT = "pericia_psicologica", _("Forensic psychological report")
    MEDICAL_EXAM = "reconocimiento_medico_legal", _("Forensic medical examination")
    RETURN = "repatriacion", _("Safe return or repatriation")
    MIGRATION = "regularizacion_migratoria", _("Migration status")


class MeasureStatus(models.TextChoices):
    REQUESTED = "solicitada", _("Requested")
    GRANTED = "otorgada", _("Granted")
    DENIED = "denegada", _("Denied")
    CARRIED_OUT = "ejecutada", _("Carried out")
    ENDED = "levantada", _("Lifted or expired")


class DeadlineStatus(models.TextChoices):
    OPEN = "pendiente", _("Pending")
    MET = "cumplido", _("Met")
    WAIVED = "no_aplica", _("Not needed")


JUDICIAL_DISTRICTS = [
    "Amazonas", "Áncash", "Apurímac", "Arequipa", "Ayacucho", "Cajamarca", "Callao", "Cañete",
    "Cusco", "Del Santa", "Huancavelica", "Huánuco", "Huaura", "Ica", "Junín", "La Libertad",
    "Lambayeque", "Lima", "Lima Este", "Lima Noroeste", "Lima Norte", "Lima Sur", "Loreto",
    "Madre de Dios", "Moquegua", "Pasco", "Piura", "Puno", "San Martín", "Selva Central",
    "Sullana", "Tacna", "Tumbes", "Ucayali",
]
