"""`amparo seed --cases N --seed S`: synthetic case files, written in bulk (the services write
one record at a time with its audit event; here 2,000 cases must load in seconds). Everything
a service would seal is sealed the same way, under each case's own data key."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import Office, User
from amparo.audit.services import event_record
from amparo.cases import choices
from amparo.cases.models import (
    Assessment,
    CarePlan,
    Case,
    CaseCounter,
    Consent,
    Episode,
    FollowUp,
    Identity,
    Note,
    Person,
    PlanAction,
    PlanGoal,
    Service,
    StatusChange,
)
from amparo.cases.services.case import CODE_ALPHABET
from amparo.core.text import document_key, fold
from amparo.crypto.envelope import context_for, data_key_new, seal_text
from amparo.crypto.models import DataKey
from amparo.demo import synthetic as syn
from amparo.demo.legal import legal_seed
from amparo.demo.monitoring import risk_seed
from amparo.reference.models import District

DOMAINS = [d.value for d in choices.Domain]


class Staff:
    def __init__(self):
        self.by_office: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
        for user in User.objects.filter(is_active=True).prefetch_related("role_assignments"):
            for assignment in user.role_assignments.all():
                if assignment.office_id:
                    self.by_office[assignment.office_id][assignment.role].append(user)

    def one(self, rng, office_id: int, role: str) -> User | None:
        people = self.by_office[office_id].get(role) or []
        return rng.choice(people) if people else None


def _sealed(obj, field: str, text: str) -> None:
    setattr(obj, f"{field}_sealed", seal_text(obj.data_key, text, context_for(obj, field)))


def cases_seed(*, count: int, seed: int = 1, today: date | None = None, batch: int = 500) -> int:
    """Add `count` cases. Deterministic for a seed on an empty database."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    offices = {o.code: o for o in Office.objects.filter(code__in=syn.OFFICES)}
    staff = Staff()
    for office in offices.values():
        if staff.one(rng, office.pk, "caseworker") is None:
            raise ValueError(f"Office {office.code} has no caseworker; run `amparo seed` first.")
    districts: dict[str, list[str]] = defaultdict(list)
    for code in District.objects.values_list("code", flat=True):
        districts[code[:2]].append(code)
    made = 0
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            _batch(rng, size, today, offices, staff, districts)
        made += size
    event_record(action="create", actor=None, actor_username="(amparo seed)", object_type="case",
                 reason=f"{count} synthetic cases, seed {seed}")
    return made


def _batch(rng, size, today, offices, staff, districts) -> None:
    office_codes = list(syn.OFFICES)
    shares = [syn.OFFICES[c]["share"] for c in office_codes]
    counters = {
        (c.office_id, c.year): c
        for c in CaseCounter.objects.select_for_update().filter(office__in=offices.values())
    }
    keys = [data_key_new() for _ in range(size * 2)]
    DataKey.objects.bulk_create(keys)
    people, identities, cases, pending = [], [], [], []
    for i in range(size):
        office = offices[rng.choices(office_codes, weights=shares)[0]]
        profile = syn.OFFICES[office.code]
        intake = syn.intake_date(rng, today)
        counter = counters.get((office.pk, intake.year))
        if counter is None:
            counter = CaseCounter.objects.create(office=office, year=intake.year)
            counters[(office.pk, intake.year)] = counter
        counter.last += 1
        person = Person(code="P" + "".join(rng.choice(CODE_ALPHABET) for _ in range(8)),
                        data_key=keys[2 * i])
        nationality = syn.pick(rng, profile["nationality"])
        female = rng.random() < 0.85
        age = syn.age_at_intake(rng)
        identity = _identity(rng, person, profile, nationality, female, age, intake, districts)
        case = _case(rng, office, intake, age, keys[2 * i + 1], staff, today, counter)
        people.append(person)
        identities.append(identity)
        cases.append(case)
        pending.append(nationality)
    Person.objects.bulk_create(people)
    for identity, person in zip(identities, people, strict=True):
        identity.person = person
    Identity.objects.bulk_create(identities)
    for case, person in zip(cases, people, strict=True):
        case.person = person
    Case.objects.bulk_create(cases)
    CaseCounter.objects.bulk_update(counters.values(), ["last"])
    minors = []
    for case in cases:
        if case.is_minor:
            case.guardian_sealed = seal_text(case.data_key, rng.choice([
                "CAR Virgen de Fátima — directora", "UPE Lima Norte — Lic. Rosa Paz",
                "Madre: Sra. Juana, cel. 9xx xxx xxx", "Tía materna, vive en el mismo distrito"]),
                context_for(case, "guardian"))
            minors.append(case)
    Case.objects.bulk_update(minors, ["guardian_sealed"], batch_size=500)
    _records(rng, cases, staff, today, districts)
    legal_seed(rng, cases, today)
    risk_seed(rng, cases, today)


def _identity(rng, person, profile, nationality, female, age, intake, districts) -> Identity:
    if nationality == "VE":
        given = rng.choice(syn.GIVEN_VE if female else syn.GIVEN_MALE)
        surnames = syn.SURNAMES["venezuelan"]
    else:
        given = rng.choice(syn.GIVEN_PE if female else syn.GIVEN_MALE)
        surnames = syn.SURNAMES[rng.choice(profile["pools"])]
    if female and rng.random() < 0.3:
        given += " " + rng.choice(syn.GIVEN_PE)
    people, tongue = ("", "castellano")
    if nationality == "PE" and rng.random() < 0.45:
        people, tongue = rng.choice(profile["people"])
    exact = rng.random() < 0.75
    birth = intake - timedelta(days=365 * age + rng.randint(0, 364)) if exact else None
    doc_type, doc_number = syn.document(rng, nationality, age)
    identity = Identity(
        data_key=person.data_key, given_names=given, paternal_surname=rng.choice(surnames),
        maternal_surname=rng.choice(surnames) if rng.random() < 0.9 else "",
        sex="mujer" if female else rng.choice(["hombre", "hombre", "no_registrado"]),
        gender_identity=rng.choice(["femenina", "femenina", "no_especificada"]) if female else "",
        birth_date=birth, estimated_age=None if exact else age, nationality=nationality,
        document_type=doc_type, document_number=doc_number, indigenous_people=people,
        mother_tongue=tongue,
        origin_ubigeo=rng.choice(districts[rng.choice(["15", "16", "08", "21", "17", "05", "10"])])
        if nationality == "PE" else "",
        origin_country="" if nationality in ("PE", "") else nationality,
    )
    identity.search_name = fold(" ".join([identity.given_names, identity.paternal_surname,
                                          identity.maternal_surname]))
    identity.search_document = document_key(doc_number)
    _sealed(identity, "contacts", f"+51 9{rng.randint(10_000_000, 99_999_999)}")
    _sealed(identity, "address", rng.choice(["Albergue (dirección reservada)",
                                             "Casa de su tía, AA.HH. Los Jardines",
                                             "Habitación alquilada, Jr. Huallaga"]))
    return identity


def _case(rng, office, intake, age, key, staff, today, counter) -> Case:
    years_open = (today - intake).days / 365
    if years_open > 3:
        status = "cerrado" if rng.random() < 0.85 else "seguimiento"
    elif years_open > 1:
        status = rng.choice(["cerrado", "cerrado", "seguimiento", "atencion"])
    else:
        status = rng.choice(["registro", "valoracion", "plan", "atencion", "atencion"])
    closed_on = None
    if status == "cerrado":
        closed_on = min(today, intake + timedelta(days=rng.randint(300, 1100)))
    minor = age < 18
    return Case(
        code=f"{office.case_prefix}-{intake.year}-{counter.last:04d}", data_key=key,
        office=office, intake_date=intake, arrival=syn.pick(rng, syn.ARRIVAL),
        victim_status=rng.choice(["presunta", "confirmada", "confirmada"]),
        priority=rng.choice(["alta", "media", "media", "baja"]), status=status,
        worker=staff.one(rng, office.pk, "caseworker"),
        psychologist=staff.one(rng, office.pk, "psychologist"),
        lawyer=staff.one(rng, office.pk, "lawyer"), age_at_intake=age, is_minor=minor,
        guardian_type=rng.choice(["madre_padre", "car", "upe", "familiar"]) if minor else "",
        closure_reason=rng.choice(["objetivos_cumplidos", "decision_propia", "sin_contacto",
                                   "traslado"]) if closed_on else "",
        closure_outcomes=rng.sample(["acceso_justicia", "estudios", "empleo", "emprendimiento",
                                     "seguridad"], rng.randint(1, 3)) if closed_on else [],
        closed_on=closed_on,
    )


def _day(rng, case, today) -> date:
    end = case.closed_on or today
    return case.intake_date + timedelta(days=rng.randint(0, max(0, (end - case.intake_date).days)))


def _records(rng, cases, staff, today, districts) -> None:
    rows = defaultdict(list)
    plans = []
    for case in cases:
        worker = case.worker
        rows[StatusChange].append(StatusChange(case=case, data_key=case.data_key,
                                               to_status="registro", changed_by=worker))
        form = syn.pick(rng, syn.FORMS)
        forms = [form] + (["explotacion_laboral"] if form == "explotacion_sexual"
                          and rng.random() < 0.08 else [])
        case.forms = sorted(set(forms))
        recruited = case.intake_date - timedelta(days=rng.randint(30, 700))
        for kind in ["captacion"] + (["traslado"] if rng.random() < 0.6 else []) + ["explotacion"]:
            place = rng.choice(syn.PLACES.get(form, ["15"]))
            episode = Episode(
                case=case, data_key=case.data_key, kind=kind, created_by=worker,
                place_ubigeo=rng.choice(districts[place]) if rng.random() < 0.9 else "",
                place_country="" if rng.random() < 0.9 else rng.choice(["CL", "BO", "EC"]),
                started_on=recruited if rng.random() < 0.8 else None,
                period="" if rng.random() < 0.8 else "unos meses",
                forms=forms if kind == "explotacion" else [],
                sexual_types=["prostitucion"] if kind == "explotacion" and form ==
                "explotacion_sexual" else [],
                means=rng.sample(["engano", "amenaza", "abuso_vulnerabilidad", "violencia",
                                  "privacion_libertad"], 2) if kind != "traslado" else [],
                control=rng.sample(["retiene_documentos", "servidumbre_deudas", "amenazas_fisicas",
                                    "restringe_movimiento", "retiene_ganancias"], 2)
                if kind == "explotacion" else [],
                recruitment=syn.pick(rng, syn.RECRUITMENT) if kind == "captacion" else "",
                recruiter_relation=syn.pick(rng, syn.RELATION) if kind == "captacion" else "",
                sector=syn.SECTORS.get(form, "") if kind == "explotacion" else "",
                ended_by=rng.choice(["rescate", "rescate", "escape", "denuncia"])
                if kind == "explotacion" else "",
            )
            if episode.place_country:
                episode.place_ubigeo = ""
            if episode.started_on and episode.started_on > case.intake_date:
                episode.started_on = case.intake_date
            _sealed(episode, "description", rng.choice(syn.ACCOUNTS))
            _sealed(episode, "perpetrators", rng.choice(syn.PERPETRATORS)
                    if kind == "captacion" else "")
            rows[Episode].append(episode)
            recruited = recruited + timedelta(days=rng.randint(1, 60))
        giver = "tutor" if case.is_minor else "sobreviviente"
        for scope in ["atencion"] + rng.sample(["compartir", "investigacion", "estadistica"],
                                               rng.randint(0, 3)):
            consent = Consent(case=case, data_key=case.data_key, scope=scope,
                              given=scope == "atencion" or rng.random() < 0.8,
                              decided_on=case.intake_date, given_by=giver, recorded_by=worker)
            _sealed(consent, "note", "")
            rows[Consent].append(consent)
        psychologist = case.psychologist or worker
        if case.status != "registro":
            for _ in range(rng.randint(1, 3)):
                scores = {d: rng.randint(0, 4) for d in rng.sample(DOMAINS, rng.randint(4, 10))}
                assessment = Assessment(case=case, data_key=case.data_key,
                                        assessed_on=_day(rng, case, today), scores=scores,
                                        assessed_by=worker)
                _sealed(assessment, "notes", json.dumps(
                    {d: "Necesita acompañamiento" for d, s in scores.items() if s >= 3},
                    ensure_ascii=False))
                rows[Assessment].append(assessment)
        if case.status in ("plan", "atencion", "seguimiento", "cerrado"):
            approver = staff.one(rng, case.office_id, "coordinator")
            approved = case.status != "plan" and approver is not None
            plan = CarePlan(case=case, horizon=rng.choice(["corto", "largo"]),
                            status="aprobado" if approved else "borrador", created_by=worker,
                            approved_by=approver if approved else None,
                            approved_at=timezone.now() if approved else None)
            plans.append((plan, rng.sample(list(syn.GOALS.items()), rng.randint(1, 3))))
        for _ in range(rng.randint(2, 12) if case.status not in ("registro", "valoracion") else 1):
            kind = rng.choice(choices.ServiceKind.values)
            staff_member = psychologist if kind == "sesion_psicologica" else (
                case.lawyer or worker) if kind in ("asesoria_legal", "acompanamiento_judicial") \
                else worker
            service = Service(case=case, data_key=case.data_key, kind=kind,
                              mode="remoto" if rng.random() < 0.25 else "presencial",
                              delivered_on=_day(rng, case, today),
                              minutes=rng.choice([30, 45, 60, 90, 120]), staff=staff_member)
            _sealed(service, "note", "")
            rows[Service].append(service)
        for _ in range(rng.randint(0, 8)):
            reached = rng.random() < 0.8
            follow_up = FollowUp(
                case=case, data_key=case.data_key, contacted_on=_day(rng, case, today),
                channel=rng.choice(choices.Channel.values), reached=reached,
                wellbeing=rng.choice(["bien", "estable", "estable", "dificultades", "crisis"])
                if reached else "",
                risk_signs=rng.sample(choices.RiskSign.values, 1) if reached and rng.random() < 0.12
                else [], created_by=worker)
            _sealed(follow_up, "note", "")
            rows[FollowUp].append(follow_up)
        if case.status != "cerrado" and rng.random() < 0.75:
            # Most open cases were reached lately; the rest is who the alerts are for.
            recent = FollowUp(case=case, data_key=case.data_key, reached=True,
                              contacted_on=max(case.intake_date,
                                               today - timedelta(days=rng.randint(0, 70))),
                              channel=rng.choice(choices.Channel.values),
                              wellbeing=rng.choice(["bien", "estable", "dificultades"]),
                              risk_signs=[], created_by=worker)
            _sealed(recent, "note", "")
            rows[FollowUp].append(recent)
        for _ in range(rng.randint(1, 5)):
            sensitivity = rng.choices(["general", "psychological", "legal"], [6, 2, 2])[0]
            text, author = {
                "general": (syn.NOTES_GENERAL, worker),
                "psychological": (syn.NOTES_PSY, psychologist),
                "legal": (syn.NOTES_LEGAL, case.lawyer or worker),
            }[sensitivity]
            note = Note(case=case, data_key=case.data_key, sensitivity=sensitivity, author=author)
            _sealed(note, "text", rng.choice(text))
            rows[Note].append(note)
    for model in (StatusChange, Episode, Consent, Assessment, Service, FollowUp, Note):
        model.objects.bulk_create(rows[model], batch_size=1000)
    Case.objects.bulk_update(cases, ["forms"], batch_size=500)
    CarePlan.objects.bulk_create([p for p, _ in plans], batch_size=1000)
    goals = []
    for plan, picked in plans:
        goals.extend(PlanGoal(plan=plan, data_key=plan.case.data_key, domain=d, goal=g)
                     for d, g in picked)
    PlanGoal.objects.bulk_create(goals, batch_size=1000)
    actions = []
    for goal in goals:
        case = goal.plan.case
        for _ in range(rng.randint(1, 2)):
            due = _day(rng, case, today) + timedelta(days=30)
            actions.append(PlanAction(
                goal=goal, data_key=case.data_key,
                description=rng.choice(["Acompañar a la cita", "Gestionar matrícula",
                                        "Coordinar con RENIEC", "Buscar beca",
                                        "Taller de habilidades"]),
                owner=case.worker, due_on=due,
                status=rng.choice(["pendiente", "en_curso", "hecha", "hecha"] if due >= today
                                  else ["hecha"] * 6 + ["pendiente", "en_curso", "cancelada"])))
    PlanAction.objects.bulk_create(actions, batch_size=1000)
