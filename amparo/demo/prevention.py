"""Fictitious prevention work for the demo: five years of trainings, workshops, talks and
campaigns in the five offices, with the same judges, prosecutors and leaders coming back year
after year, some of their names typed differently on a later list (pairs to review), and pre-
and post-test scores. Written in bulk, sealed like the services seal."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Office, User
from amparo.audit.services import event_record
from amparo.core.text import document_key, fold
from amparo.crypto.envelope import data_key_new
from amparo.crypto.models import DataKey
from amparo.demo import synthetic as syn
from amparo.prevention import choices
from amparo.prevention.matching import pairs_find
from amparo.prevention.models import (
    Activity,
    ActivityCounter,
    Attendance,
    Participant,
    Reach,
    Score,
)
from amparo.prevention.selectors import participant_key

DEPARTMENT = {"lima": ("15", "Lima"), "iquitos": ("16", "Loreto"), "cusco": ("08", "Cusco"),
              "puno": ("21", "Puno"), "maldonado": ("17", "Madre de Dios")}
PLACE = {"lima": "150101", "iquitos": "160101", "cusco": "080101", "puno": "210101",
         "maldonado": "170101"}
AUDIENCES = [("jueces", 0.1), ("fiscales", 0.12), ("abogados", 0.08), ("policia", 0.1),
             ("albergues", 0.06), ("salud", 0.07), ("educacion", 0.1), ("lideres", 0.25),
             ("sindicatos", 0.05), ("estudiantes", 0.07)]
INSTITUTION = {
    "jueces": "Corte Superior de Justicia de {region}",
    "fiscales": "Fiscalía Provincial Especializada en Trata de Personas de {region}",
    "abogados": "Defensa Pública de {region}", "policia": "DIRCTPTIM {region}",
    "albergues": "CAR Santa Rosa de {region}", "salud": "Centro de Salud {region}",
    "educacion": "UGEL {region}", "lideres": "Comunidad {community}",
    "sindicatos": "Sindicato de Trabajadores de Construcción Civil de {region}",
    "estudiantes": "Universidad Nacional de {region}",
}
COMMUNITIES = {"lima": ["Villa El Salvador", "Carabayllo", "Huaycán", "Pachacámac"],
               "iquitos": ["Nauta", "Indiana", "San Juan Bautista", "Santo Tomás"],
               "cusco": ["Huancarani", "Ccatcca", "Chinchero", "Ocongate"],
               "puno": ["Ilave", "Juli", "Ananea", "La Rinconada"],
               "maldonado": ["Mazuko", "Laberinto", "Huepetuhe", "Delta 1"]}
TITLES = {
    "capacitacion": ["Identificación de víctimas de trata para operadores de justicia",
                     "Trata de personas y explotación laboral en la minería",
                     "Atención con enfoque de género a sobrevivientes",
                     "Matrimonio infantil, temprano y forzado: marco legal"],
    "taller": ["Taller: rutas de derivación frente a la trata",
               "Taller: captación por redes sociales", "Taller: trabajo forzoso para sindicatos"],
    "charla": ["Charla en colegio: ofertas de trabajo engañosas"],
    "reunion_comunitaria": ["Reunión con la red comunitaria contra la trata"],
    "campana": ["Campaña 'No te dejes engañar'"],
    "campana_medios": ["Campaña radial 'Abre los ojos'"],
}
# A training's pre- and post-test, with how easy each question is: the referral route and the
# reparation are what operators know least, before and after.
QUESTIONS = [
    ("¿Qué conductas describe el artículo 129-A del Código Penal (captación, transporte, "
     "traslado, acogida, recepción, retención)?", 1.0),
    ("¿Es válido el consentimiento de una víctima menor de 18 años?", 1.4),
    ("Nombre tres indicadores de trabajo forzoso de la OIT.", 0.8),
    ("¿Qué es la captación por redes sociales y cómo se reconoce?", 1.2),
    ("¿Qué institución recibe la denuncia y cuál investiga?", 1.1),
    ("¿A qué servicio del Estado se deriva a una víctima rescatada?", 0.5),
    ("¿Qué medidas de protección puede dictar el juez?", 0.7),
    ("¿Qué es la revictimización y cómo se evita en la entrevista?", 0.9),
    ("¿Qué derechos tiene una víctima extranjera sin documentos?", 0.6),
    ("¿Qué es la reparación civil y quién la pide?", 0.4),
]
TOPICS = {"capacitacion": ["trata", "identificacion", "atencion"],
          "taller": ["trata", "captacion_digital", "trabajo_forzoso"],
          "charla": ["trata", "migracion"], "reunion_comunitaria": ["trata", "violencia_genero"],
          "campana": ["trata"], "campana_medios": ["trata", "captacion_digital"]}


def prevention_seed(*, seed: int = 1, years: int = 5) -> int:
    """The activities it wrote (none when the demo already has them)."""
    if Activity.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        pools = {office: _people(rng, office) for office in DEPARTMENT}
        made = 0
        for office in Office.objects.filter(code__in=DEPARTMENT):
            actor = User.objects.filter(role_assignments__role="prevention",
                                        role_assignments__office=office).first()
            if actor is None:
                continue
            for year in range(today.year - years + 1, today.year + 1):
                made += _year(rng, office, year, today, pools[office.code], actor)
        # The variants typed on later lists are matched as a list's new people are: by the
        # record-linkage engine, against everyone registered; the pairs wait for a person.
        listed = [person.pk for pool in pools.values() for person in pool]
        pairs_find(list(Participant.objects.exclude(pk__in=listed).values_list("pk", flat=True)))
    event_record(action="create", actor=None, actor_username="(amparo seed)",
                 object_type="activity", reason=f"{made} synthetic prevention activities")
    return made


def _people(rng, office: str) -> list[Participant]:
    department, region = DEPARTMENT[office]
    pools = syn.OFFICES[office]["pools"]
    keys = [data_key_new() for _ in range(140)]
    DataKey.objects.bulk_create(keys)
    people = []
    for key in keys:
        female = rng.random() < 0.6
        given = rng.choice(syn.GIVEN_PE if female else syn.GIVEN_MALE)
        surnames = " ".join(rng.choice(syn.SURNAMES[rng.choice(pools)]) for _ in range(2))
        audience = syn.pick(rng, AUDIENCES)
        institution = INSTITUTION[audience].format(region=region,
                                                   community=rng.choice(COMMUNITIES[office]))
        number = f"{rng.randint(10_000_000, 79_999_999)}" if rng.random() < 0.6 else ""
        person = Participant(code="PT-" + "".join(rng.choice(syn_code()) for _ in range(8)),
                             data_key=key, given_names=given, surnames=surnames,
                             name_key=participant_key(given, surnames),
                             sex="mujer" if female else "hombre",
                             document_type="dni" if number else "", document_number=number,
                             document_key=document_key(number), audience=audience,
                             institution=institution, institution_key=fold(institution),
                             department=department)
        person.seal("contact", f"+51 9{rng.randint(10_000_000, 99_999_999)}")
        people.append(person)
    Participant.objects.bulk_create(people)
    return people


def syn_code() -> str:
    return "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _year(rng, office, year, today, pool, actor) -> int:
    plan = ["capacitacion"] * 3 + ["taller"] * 2 + ["charla", "reunion_comunitaria", "campana"]
    if office.code == "lima" and year % 2 == 0:
        plan.append("campana_medios")
    counter, _ = ActivityCounter.objects.get_or_create(office=office, year=year)
    made = 0
    for kind in plan:
        day = date(year, 1, 15) + timedelta(days=rng.randint(0, 330))
        if day > today + timedelta(days=60):
            continue
        counter.last += 1
        learning = kind in choices.LEARNING
        audiences = sorted({syn.pick(rng, AUDIENCES) for _ in range(3)})
        activity = Activity.objects.create(
            code=f"PRV-{office.case_prefix}-{year}-{counter.last:04d}", kind=kind,
            title=rng.choice(TITLES[kind]), office=office, starts_on=day,
            ends_on=day + timedelta(days=1) if kind == "capacitacion" else None,
            ubigeo=PLACE[office.code], topics=TOPICS[kind],
            hours=Decimal(rng.choice([8, 12, 16])) if kind == "capacitacion" else (
                Decimal(4) if kind == "taller" else Decimal(2) if kind == "charla" else None),
            audiences=audiences, project=rng.choice(["Proyecto Puentes", "Fondo Esperanza",
                                                     "Cooperación Española", ""]),
            status=choices.Status.DONE if day <= today else choices.Status.PLANNED,
            min_attendance=80, post_test_required=kind == "capacitacion",
            test_max=Decimal(20) if learning else None, created_by=actor,
            test_questions=[q for q, _ease in QUESTIONS] if kind == "capacitacion" else [])
        made += 1
        if kind in choices.CAMPAIGNS:
            _reach(rng, activity, actor)
        elif day <= today:
            _attendance(rng, activity, pool, actor)
    counter.save(update_fields=["last"])
    return made


def _reach(rng, activity, actor) -> None:
    if activity.kind == "campana_medios":
        Reach.objects.create(activity=activity, estimated_audience=6_500_000,
                             source="CPI, estudio de audiencia radial 2024",
                             method="Oyentes promedio por emisión × número de emisiones",
                             mentions=rng.randint(20, 90), recorded_by=actor)
    else:
        Reach.objects.create(activity=activity, estimated_audience=rng.randint(800, 15_000),
                             source="Conteo de volantes entregados y asistentes a ferias",
                             method="Volantes entregados + personas en las ferias",
                             recorded_by=actor)


def _attendance(rng, activity, pool, actor) -> None:
    wanted = set(activity.audiences)
    fitting = [p for p in pool if p.audience in wanted] or pool
    size = min(len(fitting), rng.randint(10, 28))
    chosen = rng.sample(fitting, size)
    rows, scores = [], []
    for person in chosen:
        if rng.random() < 0.06:  # typed differently on this list: a record of its own
            person = _variant(rng, person)
        hours = None
        if activity.hours and rng.random() < 0.15:
            hours = (activity.hours * Decimal(rng.choice([25, 50, 75]))
                     / 100).quantize(Decimal("0.1"))
        rows.append(Attendance(activity=activity, participant=person, hours=hours,
                               source="demo", recorded_by=actor))
        if activity.test_max:
            scores += _scores(rng, activity, person, actor)
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    Score.objects.bulk_create(scores, ignore_conflicts=True)


def _variant(rng, person: Participant) -> Participant:
    given = fold(person.given_names).title() if rng.random() < 0.5 else person.given_names
    surnames = person.surnames.split()[0] if rng.random() < 0.5 else person.surnames.replace(
        "i", "y", 1)
    name = participant_key(given, surnames)
    if name == person.name_key:
        return person  # typed the same way after all: the list finds her
    known = Participant.objects.filter(name_key=name, institution_key=person.institution_key,
                                       merged_into__isnull=True).first()
    if known is not None:  # this spelling came before: the list finds that record
        return known
    key = data_key_new()
    key.save()
    variant = Participant(code="PT-" + "".join(rng.choice(syn_code()) for _ in range(8)),
                          data_key=key, given_names=given, surnames=surnames,
                          name_key=participant_key(given, surnames), sex=person.sex,
                          audience=person.audience, institution=person.institution,
                          institution_key=person.institution_key,
                          department=person.department)
    variant.seal("contact", "")
    variant.save()
    return variant


def _scores(rng, activity, person, actor) -> list[Score]:
    top = float(activity.test_max)
    pre = max(0.0, min(top, rng.gauss(9, 3)))
    gain = max(-0.1, min(1.0, rng.gauss(0.45, 0.2)))
    post = max(0.0, min(top, pre + gain * (top - pre)))
    made = []

    def test(phase, score):
        answers = _marks(rng, score / top) if activity.test_questions else []
        if answers:  # the score is what the marks give, as on the page
            score = sum(answers) / len(answers) * top
        made.append(Score(activity=activity, participant=person, phase=phase,
                          score=Decimal(round(score)), answers=answers, recorded_by=actor))

    if rng.random() < 0.7:  # Kirkpatrick level 1: satisfaction, right after
        made.append(Score(activity=activity, participant=person, phase="reaccion",
                          score=Decimal(rng.choice([3, 4, 4, 5, 5, 5])), recorded_by=actor))
    if rng.random() < 0.9:
        test("pre", pre)
    if rng.random() < 0.85:
        test("post", post)
        if rng.random() < 0.4:
            test("seguimiento", max(pre, post - rng.uniform(0, 3)))
    return made


def _marks(rng, share: float) -> list[bool]:
    """Which questions she answered right: as many as her score says, the easier ones more
    often."""
    right = round(share * len(QUESTIONS))
    order = sorted(range(len(QUESTIONS)), key=lambda i: rng.random() * QUESTIONS[i][1],
                   reverse=True)
    chosen = set(order[:right])
    return [i in chosen for i in range(len(QUESTIONS))]


def attendance_list(folder, *, seed: int = 1):
    """A workshop held last month in Cusco whose attendance is still on paper, and its list as
    an office keeps it (names in one cell, a DNI sometimes, numbered empty lines), to try the
    import with. Returns the file's path, or None when the demo has no Cusco team."""
    from pathlib import Path

    from openpyxl import Workbook

    rng = random.Random(seed + 7)
    office = Office.objects.filter(code="cusco").first()
    actor = User.objects.filter(role_assignments__role="prevention",
                                role_assignments__office=office).first()
    if office is None or actor is None:
        return None
    title = "Taller: rutas de derivación (lista por importar)"
    activity = Activity.objects.filter(office=office, title=title).first()
    if activity is None:
        day = (timezone.localdate().replace(day=1) - timedelta(days=20))
        counter, _ = ActivityCounter.objects.get_or_create(office=office, year=day.year)
        counter.last += 1
        counter.save(update_fields=["last"])
        activity = Activity.objects.create(
            code=f"PRV-{office.case_prefix}-{day.year}-{counter.last:04d}", kind="taller",
            title=title, office=office, starts_on=day, ubigeo=PLACE["cusco"],
            topics=["trata", "identificacion"], hours=Decimal(4),
            audiences=["jueces", "fiscales", "lideres"], status=choices.Status.DONE,
            created_by=actor)
    path = Path(folder) / f"asistencia-{activity.code}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    people = list(Participant.objects.filter(department="08", merged_into__isnull=True)
                  .order_by("code")[:60])
    book = Workbook()
    sheet = book.active
    sheet.title = "Asistencia"
    sheet.append([f"LISTA DE ASISTENCIA — {title}"])
    sheet.append([f"Cusco, {activity.starts_on:%d/%m/%Y}"])
    sheet.append(["N°", "Apellidos y nombres", "DNI", "Cargo", "Institución", "Firma"])
    labels = dict(choices.Audience.choices)
    for n, person in enumerate(rng.sample(people, min(14, len(people))), start=1):
        surnames = person.surnames.upper()
        name = f"{surnames}, {person.given_names}" if rng.random() < 0.5 else person.full_name
        sheet.append([n, name, person.document_number if rng.random() < 0.7 else "",
                      str(labels.get(person.audience, "")), person.institution, "✓"])
    sheet.append([15, "Ccori Huamán, Nélida", "", "Líderes comunitarios",
                  "Comunidad Ccatcca", "✓"])  # someone new
    for n in range(16, 19):  # the printed lines nobody filled
        sheet.append([n, "", "", "", "", ""])
    book.save(path)
    return path
