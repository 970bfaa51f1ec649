"""The watchdog's demo: the policy's structure as it ships, two editions of the Informe
Alternativo (2023–2024, published; 2025–2026, in preparation) with evidence for every service
(about three in four without budget in the first, fewer in the second, as the IX edition found),
information requests to ministries, regional governments and the police with realistic shares
answered on time, late and not at all, and regional instruments for the five office regions.
All figures are fictitious."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.audit.services import event_record
from amparo.core.dates import is_working_day
from amparo.policy import choices, services
from amparo.policy.models import (
    ChapterText,
    Edition,
    Evidence,
    InformationRequest,
    Instrument,
    RegionalInstrument,
    Service,
    Source,
)
from amparo.referrals.models import Institution

ENTITIES = [  # (name, acronym, kind, ubigeo)
    ("Ministerio del Interior", "MININTER", "ministerio", "150101"),
    ("Ministerio de la Mujer y Poblaciones Vulnerables", "MIMP", "ministerio", "150101"),
    ("Ministerio de Trabajo y Promoción del Empleo", "MTPE", "ministerio", "150101"),
    ("Ministerio de Cultura", "MINCUL", "ministerio", "150101"),
    ("Ministerio de Relaciones Exteriores", "RREE", "ministerio", "150101"),
    ("Ministerio de Educación", "MINEDU", "ministerio", "150101"),
    ("Ministerio de Salud", "MINSA", "ministerio", "150101"),
    ("Ministerio Público – Fiscalía de la Nación", "MP", "ministerio", "150101"),
    ("Poder Judicial", "PJ", "ministerio", "150101"),
    ("Dirección contra la Trata de Personas y Tráfico Ilícito de Migrantes (PNP)",
     "DIRCTPTIM", "pnp_trata", "150101"),
    ("Superintendencia Nacional de Fiscalización Laboral", "SUNAFIL", "sunafil", "150101"),
    ("Gobierno Regional de Lima", "GR Lima", "gobierno_regional", "150101"),
    ("Gobierno Regional de Loreto", "GORE Loreto", "gobierno_regional", "160101"),
    ("Gobierno Regional de Cusco", "GORE Cusco", "gobierno_regional", "080101"),
    ("Gobierno Regional de Puno", "GORE Puno", "gobierno_regional", "210101"),
    ("Gobierno Regional de Madre de Dios", "GOREMAD", "gobierno_regional", "170101"),
]
REGIONS = ["15", "16", "08", "21", "17"]
INSTRUMENTS = [  # department, kind, name, norm, starts, ends, objectives, budget
    ("16", "plan_regional", "Plan Regional contra la Trata de Personas de Loreto 2022–2026",
     "Ordenanza Regional N.° 012-2022-GRL-CR", 2022, 2026, True, Decimal(180000)),
    ("16", "red", "Red Regional contra la Trata de Personas de Loreto",
     "Ordenanza Regional N.° 005-2015-GRL-CR", 2015, None, True, None),
    ("08", "red", "Comisión Regional contra la Trata de Personas de Cusco",
     "Ordenanza Regional N.° 118-2016-CR/GRC.CUSCO", 2016, None, True, None),
    ("08", "poa", "Plan Operativo Anual 2025 de la Gerencia Regional de Desarrollo Social",
     "Resolución Ejecutiva Regional N.° 031-2025", 2025, 2025, True, Decimal(45000)),
    ("21", "plan_regional", "Plan Regional de Acción contra la Trata de Personas de Puno "
     "2019–2023", "Ordenanza Regional N.° 020-2019-GRP-CRP", 2019, 2023, True, None),
    ("21", "pdrc", "Plan de Desarrollo Regional Concertado de Puno al 2030",
     "Ordenanza Regional N.° 009-2021-GRP-CRP", 2021, 2030, False, None),
    ("17", "red", "Red Regional de Lucha contra la Trata de Personas de Madre de Dios",
     "Ordenanza Regional N.° 021-2017-RMDD/CR", 2017, None, True, None),
    ("17", "poa", "Plan Operativo Anual 2026 de la Gerencia de Desarrollo Social",
     "", 2026, 2026, False, None),
    ("15", "pei", "Plan Estratégico Institucional 2024–2027 del Gobierno Regional de Lima",
     "Resolución Ejecutiva Regional N.° 210-2024", 2024, 2027, False, None),
]
SUBJECTS = [
    "Presupuesto asignado y ejecutado {years} para los servicios de la PNFTP a su cargo, por "
    "fuente de financiamiento y meta presupuestal.",
    "Número de personas atendidas {years} por los servicios de la PNFTP a su cargo, "
    "desagregado por región, sexo y edad.",
    "Acciones de prevención y sensibilización realizadas {years}, con su alcance y el "
    "presupuesto usado.",
]


def _working(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def policy_seed(*, seed: int = 1) -> int:
    """The editions it wrote (none when the demo already has one)."""
    services.structure_load_shipped()
    if Edition.objects.exists():
        return 0
    rng = random.Random(seed)
    actor = User.objects.filter(role_assignments__role="watchdog").first()
    if actor is None:
        return 0
    with transaction.atomic():
        entities = [_entity(*row) for row in ENTITIES]
        made = 0
        for first, last, without, published, answering in (
                (2023, 2024, 0.8, date(2025, 9, 30), (0.55, 0.22)),
                (2025, 2026, 0.62, None, (0.5, 0.2))):
            data = {"instrument": Instrument.objects.get(code="pnftp-2030"),
                    "first_year": first, "last_year": last, "published_on": published,
                    "title": f"Informe Alternativo {first}–{last}", "scale": []}
            edition = services.edition_save(actor=actor, data=data)
            requests = _requests(rng, edition, entities, actor, *answering)
            _evidence(rng, edition, without, requests, actor)
            made += 1
        _chapters(Edition.objects.get(code="2023-2024"), actor)
        for row in INSTRUMENTS:
            _instrument(actor, *row)
    event_record(action="create", actor=None, actor_username="(amparo seed)",
                 object_type="policy_edition", section="policy",
                 reason=f"{made} fictitious editions with evidence and requests")
    return made


def _entity(name, acronym, kind, ubigeo) -> Institution:
    found = Institution.objects.filter(name=name).first()
    return found or Institution.objects.create(name=name, acronym=acronym, kind=kind,
                                               sector="estado", ubigeo=ubigeo)


def _requests(rng, edition, entities, actor, on_time, late) -> list[InformationRequest]:
    today = timezone.localdate()
    made = []
    all_services = list(Service.objects.filter(instrument=edition.instrument))
    for entity in entities:
        for subject in rng.sample(SUBJECTS, 2):
            years = f"{edition.first_year}–{edition.last_year}"
            if edition.last_year >= today.year:  # in preparation: asked this year
                sent = _working(today - timedelta(days=rng.randint(3, 150)))
                years = f"{edition.first_year}–{today.year}"
            else:
                sent = _working(date(edition.last_year + 1, 2, 1)
                                + timedelta(days=rng.randint(0, 60)))
            record = services.request_create(
                actor=actor, edition=edition, data={
                    "entity": entity, "subject": subject.format(years=years), "sent_on": sent,
                    "reference": f"Exp. {rng.randint(1000, 9999)}-{sent.year}",
                    "with_ombudsman": rng.random() < 0.4},
                services=rng.sample(all_services, rng.randint(1, 4)))
            roll = rng.random()
            answered = None
            if roll < on_time:
                answered = record.due_on - timedelta(days=rng.randint(0, 9))
            elif roll < on_time + late:
                answered = record.due_on + timedelta(days=rng.randint(3, 60))
            if answered and answered <= today and answered >= sent:
                if rng.random() < 0.15:
                    services.reminder_add(actor=actor, record=record,
                                          sent_on=min(today, record.due_on + timedelta(days=2)))
                services.request_update(actor=actor, record=record, data={
                    "answered_on": answered,
                    "completeness": rng.choices(["completa", "parcial", "denegada"],
                                                [0.55, 0.38, 0.07])[0],
                    "answer_summary": "Remite informe con la información disponible."})
            elif today > record.due_on and rng.random() < 0.5:
                services.reminder_add(actor=actor, record=record,
                                      sent_on=min(today, _working(record.due_on
                                                                  + timedelta(days=5))),
                                      note="Reiteración por correo electrónico")
            made.append(record)
    return made


def _evidence(rng, edition, without, requests, actor) -> None:
    replies = list(InformationRequest.objects.filter(edition=edition, answered_on__isnull=False))
    rows, sources = [], []
    for service in Service.objects.filter(instrument=edition.instrument):
        funded = rng.random() > without
        for year in edition.years:
            if year > timezone.localdate().year:
                continue
            assigned = (Decimal(rng.randint(40, 2400)) * 1000) if funded else Decimal(0)
            if not funded and rng.random() < 0.3:
                assigned = None  # asked for, never told
            executed = (assigned * Decimal(rng.uniform(0.35, 0.98))).quantize(Decimal(1)) if (
                assigned) else None
            rows.append(Evidence(
                edition=edition, service=service, year=year, budget_assigned=assigned,
                budget_executed=executed, updated_by=actor,
                implementation=rng.choice(["en_proceso", "implementado"]) if funded else (
                    rng.choice(["no_iniciado", "sin_informacion", "en_proceso"])),
                delivered=("Talleres y campañas en regiones priorizadas" if funded else ""),
                delivered_count=rng.randint(5, 900) if funded else None))
        if service.number in (2, 3, 4):  # the regional picture of the awareness services
            for department in REGIONS:
                year = edition.first_year
                rows.append(Evidence(
                    edition=edition, service=service, year=year, department=department,
                    budget_assigned=Decimal(rng.randint(0, 90)) * 1000, updated_by=actor,
                    implementation=rng.choice(["no_iniciado", "en_proceso", "implementado"]),
                    delivered_count=rng.randint(0, 40)))
    Evidence.objects.bulk_create(rows)
    for item in Evidence.objects.filter(edition=edition).select_related("service"):
        day = date(min(item.year + 1, timezone.localdate().year), 3, 15)
        sources.append(Source(evidence=item, kind="mef", dated=min(day, timezone.localdate()),
                              reference=f"Consulta Amigable MEF, año {item.year}"))
        if replies and rng.random() < 0.4:
            reply = rng.choice(replies)
            sources.append(Source(evidence=item, kind="respuesta", dated=reply.answered_on,
                                  request=reply, reference=f"Respuesta a {reply.code}"))
    Source.objects.bulk_create(sources)


def _chapters(edition: Edition, actor) -> None:
    texts = {
        choices.Chapter.METHODOLOGY: (
            "El informe revisa los 42 servicios de la Política Nacional frente a la Trata de "
            "Personas y sus formas de explotación al 2030, a partir de las respuestas a "
            "solicitudes de acceso a la información pública (Ley 27806) enviadas con el apoyo "
            "de la Defensoría del Pueblo y de la Consulta Amigable del MEF.\n\n"
            "Las cifras son las que informan las entidades; donde no respondieron, el informe "
            "lo dice."),
        choices.Chapter.CONTEXT: (
            "La mayor parte de los servicios de la política no tiene presupuesto asignado, lo "
            "que limita su implementación en las regiones con más víctimas."),
    }
    for chapter, text in texts.items():
        ChapterText.objects.update_or_create(edition=edition, chapter=chapter,
                                             defaults={"text": text, "updated_by": actor})


def _instrument(actor, department, kind, name, norm, starts, ends, objectives, budget) -> None:
    if RegionalInstrument.objects.filter(name=name).exists():
        return
    services.instrument_save(actor=actor, data={
        "department": department, "kind": kind, "name": name, "norm": norm, "starts": starts,
        "ends": ends, "has_objectives": objectives, "budget_lines": budget is not None,
        "budget": budget, "notes": ""})
