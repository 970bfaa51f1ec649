"""What a spreadsheet column can become in Amparo: each target field, how its values are read,
and the Spanish headers offices have used for it (matched ignoring accents, case and
punctuation). docs/import.md lists them with examples."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.text import fold


class LegalStatus(models.TextChoices):
    """A register's "Situación legal" column: where the criminal case stood. The imported
    proceeding starts at that stage (its date unknown); "no complaint" creates none."""

    COMPLAINT = "denuncia", _("Complaint filed")
    PRELIMINARY = "diligencias_preliminares", _("Preliminary inquiry")
    INVESTIGATION = "investigacion_preparatoria", _("Formal investigation")
    INTERMEDIATE = "etapa_intermedia", _("Intermediate stage")
    TRIAL = "juicio_oral", _("Trial")
    ARCHIVED = "archivo", _("Archived")
    CONVICTED = "sentencia_condenatoria", _("Conviction")
    ACQUITTED = "sentencia_absolutoria", _("Acquittal")
    NO_COMPLAINT = "sin_denuncia", _("No complaint filed")


@dataclass(frozen=True)
class Field:
    kind: str  # text, date, age, name, document, place, note, office, vocab, choice or yesno
    headers: tuple[str, ...]
    vocabulary: str = ""  # for kind "vocab": the reference vocabulary's code
    choices: str = ""  # for kind "choice": a TextChoices of the case workflow
    many: bool = False  # the record holds a list of codes (a value may map to several)
    target: str = "casos"  # what an import of this field makes: cases, or an attendance list


FIELDS: dict[str, Field] = {
    "case.legacy_number": Field("text", ("n", "no", "nro", "numero", "n caso", "nro caso",
                                         "numero de caso", "codigo", "cod", "item", "n ficha",
                                         "ficha")),
    "case.intake_date": Field("date", ("fecha de ingreso", "fecha ingreso", "ingreso",
                                       "fecha de atencion", "fecha de registro", "f ingreso",
                                       "fecha")),
    "case.office": Field("office", ("oficina", "sede", "oficina que atiende")),
    "case.arrival": Field("choice", ("derivado por", "derivada por", "como llego",
                                     "institucion que deriva", "fuente de derivacion",
                                     "procedencia del caso"), choices="Arrival"),
    "case.status": Field("choice", ("estado", "estado del caso", "situacion del caso"),
                         choices="Status"),
    "case.closed_on": Field("date", ("fecha de cierre", "fecha cierre", "cierre", "f cierre",
                                     "fecha de egreso", "egreso")),
    "case.closure_reason": Field("choice", ("motivo de cierre", "motivo cierre",
                                            "motivo de egreso", "razon de cierre"),
                                 choices="ClosureReason"),
    "case.guardian_type": Field("choice", ("tutor", "responsable", "a cargo de", "apoderado",
                                           "tutor responsable"), choices="Guardian"),
    "case.victim_status": Field("vocab", ("condicion", "estatus", "situacion de la victima",
                                          "estatus de victima"), vocabulary="estatus_victima"),
    "case.note": Field("note", ("observaciones", "observacion", "obs", "comentarios", "notas",
                                "detalle", "resumen del caso")),
    "person.full_name": Field("name", ("nombres y apellidos", "apellidos y nombres",
                                       "nombre completo", "nombre y apellido", "nombre",
                                       "victima", "beneficiaria", "usuaria", "sobreviviente")),
    "person.given_names": Field("text", ("nombres", "nombre s", "primer nombre")),
    "person.paternal_surname": Field("text", ("apellido paterno", "ap paterno", "paterno")),
    "person.maternal_surname": Field("text", ("apellido materno", "ap materno", "materno")),
    "person.document_type": Field("vocab", ("tipo de documento", "tipo doc", "documento tipo"),
                                  vocabulary="tipo_documento"),
    "person.document_number": Field("document", ("dni", "n dni", "nro dni", "documento",
                                                 "n documento", "nro documento", "doc",
                                                 "numero de documento", "dni ce")),
    "person.birth_date": Field("date", ("fecha de nacimiento", "f nac", "f nacimiento",
                                        "nacimiento", "fec nac")),
    "person.age_at_intake": Field("age", ("edad", "edad al ingreso", "edad anos")),
    "person.sex": Field("vocab", ("sexo", "genero"), vocabulary="sexo"),
    "person.nationality": Field("vocab", ("nacionalidad", "pais de origen", "pais"),
                                vocabulary="nacionalidad"),
    "person.origin": Field("place", ("lugar de origen", "procedencia", "region de origen",
                                     "departamento de origen", "origen", "lugar de procedencia")),
    "episode.forms_of_exploitation": Field("vocab", ("tipo de explotacion", "forma de explotacion",
                                                     "finalidad", "explotacion", "tipo de trata",
                                                     "modalidad de explotacion"),
                                           vocabulary="forma_explotacion", many=True),
    "episode.place": Field("place", ("lugar de explotacion", "lugar de los hechos",
                                     "region de explotacion", "lugar donde fue explotada",
                                     "destino")),
    "episode.started_on": Field("date", ("fecha de los hechos", "fecha de captacion",
                                         "fecha de explotacion", "desde")),
    "episode.recruitment": Field("vocab", ("modalidad de captacion", "captacion",
                                           "forma de captacion", "como fue captada"),
                                 vocabulary="modalidad_captacion"),
    "episode.description": Field("note", ("relato", "hechos", "descripcion de los hechos",
                                          "que paso", "resumen de los hechos")),
    "person.indigenous_people": Field("vocab", ("pueblo indigena", "pueblo", "etnia",
                                                "comunidad"), vocabulary="pueblo_indigena"),
    "person.mother_tongue": Field("vocab", ("lengua materna", "idioma", "lengua"),
                                  vocabulary="lengua"),
    "follow_up.contacted_on": Field("date", ("ultimo seguimiento", "fecha de ultimo seguimiento",
                                             "fecha ultimo seguimiento", "ultimo contacto",
                                             "fecha de ultimo contacto", "fecha ultimo contacto")),
    "follow_up.channel": Field("choice", ("medio de seguimiento", "canal de seguimiento",
                                          "via de contacto", "medio de contacto"),
                               choices="Channel"),
    "follow_up.reached": Field("yesno", ("contactada", "se logro contacto", "logro contacto",
                                         "ubicada")),
    "proceeding.status": Field("choice", ("situacion legal", "situacion juridica",
                                          "estado del proceso", "estado legal",
                                          "situacion del proceso", "estado de la denuncia",
                                          "proceso judicial", "situacion procesal"),
                               choices="LegalStatus"),
    "proceeding.court_file": Field("text", ("expediente", "n expediente", "nro expediente",
                                            "expediente judicial")),
    "proceeding.prosecutor_file": Field("text", ("n carpeta fiscal", "carpeta fiscal", "carpeta",
                                                 "nro carpeta", "carpeta fiscal n")),
    "proceeding.police_report": Field("text", ("denuncia", "n denuncia", "denuncia policial",
                                               "nro denuncia")),
    # An attendance list (target "asistencia"): one row per person at one activity.
    "participant.full_name": Field("name", ("nombres y apellidos", "apellidos y nombres",
                                            "nombre completo", "nombre y apellido", "nombre",
                                            "participante", "asistente"), target="asistencia"),
    "participant.given_names": Field("text", ("nombres", "nombre s"), target="asistencia"),
    "participant.surnames": Field("text", ("apellidos", "apellido"), target="asistencia"),
    "participant.document_number": Field("document", ("dni", "n dni", "nro dni", "documento",
                                                      "n documento", "doc", "dni ce"),
                                         target="asistencia"),
    "participant.sex": Field("vocab", ("sexo", "genero", "s"), vocabulary="sexo",
                             target="asistencia"),
    "participant.audience": Field("choice", ("cargo", "profesion", "ocupacion", "perfil",
                                             "publico", "tipo de participante"),
                                  choices="Audience", target="asistencia"),
    "participant.institution": Field("note", ("institucion", "entidad", "organizacion",
                                              "dependencia", "centro de trabajo"),
                                     target="asistencia"),
    "participant.department": Field("place", ("region", "departamento", "lugar", "procedencia"),
                                    target="asistencia"),
    "participant.contact": Field("note", ("telefono", "celular", "correo", "email", "contacto"),
                                 target="asistencia"),
    "attendance.hours": Field("number", ("horas", "horas asistidas", "asistencia horas"),
                              target="asistencia"),
}
TARGETS = ("casos", "asistencia")


def header_key(text) -> str:
    """A header as compared: folded, punctuation and "N°" marks as spaces."""
    return re.sub(r"[^0-9a-z]+", " ", fold(str(text or "")).replace("°", " ").replace("º", " ")
                  ).strip()


def synonyms(target: str = "casos") -> dict[str, str]:
    return {header_key(h): name for name, f in FIELDS.items() if f.target == target
            for h in f.headers}


SYNONYMS: dict[str, str] = synonyms("casos")
ATTENDANCE_SYNONYMS: dict[str, str] = synonyms("asistencia")


def is_known_header(value) -> bool:
    """A cell that names a field the importer knows: how it finds a register's header row."""
    return header_key(value) in SYNONYMS


def is_attendance_header(value) -> bool:
    return header_key(value) in ATTENDANCE_SYNONYMS
