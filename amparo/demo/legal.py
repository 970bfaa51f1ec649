"""Synthetic criminal proceedings, hearings, measures and referrals for the demo, in bulk.

Shares follow the public figures in peru-domain.md §8: about six in ten complaints archived,
few convictions, reparations often unpaid; hearings in the coming weeks; referrals in every
status. Each proceeding walks the same procedure the services enforce (`legal.procedure`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from amparo.cases.models import Consent
from amparo.crypto.envelope import context_for, seal_text
from amparo.legal import procedure
from amparo.legal.models import (
    Deadline,
    DeadlineRule,
    Defendant,
    Hearing,
    Measure,
    Payment,
    Proceeding,
    Sentence,
    Step,
)
from amparo.legal.services import due_date
from amparo.referrals.models import Institution, Referral

# Paths a proceeding can take, as (kind, code) steps after the complaint; weights by fate.
D, S = "decision", "etapa"
PRELIMINARY = [(S, "diligencias_preliminares")]
FORMAL = PRELIMINARY + [(D, "formalizacion")]
INDICTED = FORMAL + [(D, "acusacion")]
TRIAL = INDICTED + [(D, "auto_enjuiciamiento")]
FATES = [
    (PRELIMINARY + [(D, "archivo")], 0.52),
    (PRELIMINARY + [(D, "reserva_provisional")], 0.05),
    (PRELIMINARY, 0.08),
    (FORMAL, 0.1),
    (INDICTED, 0.05),
    (INDICTED + [(D, "sobreseimiento"), (S, "concluido")], 0.03),
    (TRIAL, 0.05),
    (TRIAL + [(D, "sentencia_absolutoria"), (S, "concluido")], 0.03),
    (TRIAL + [(D, "sentencia_condenatoria"), (S, "apelacion"), (D, "sentencia_vista_confirma"),
              (D, "sentencia_firme")], 0.03),
    (TRIAL + [(D, "sentencia_condenatoria"), (D, "sentencia_firme")], 0.04),
    (FORMAL + [(D, "terminacion_anticipada"), (D, "sentencia_firme")], 0.02),
]
CHARGES = {"explotacion_sexual": ["129-A", "129-C"], "explotacion_laboral": ["129-A", "129-O"],
           "trabajo_forzoso": ["129-O"], "servidumbre": ["129-Ñ"], "mendicidad": ["129-A", "128"]}
ROLES = ["captador", "explotador", "administrador", "transportista", "financiador"]
NAMES = ["Julio César R. M.", "alias 'la Tía'", "Marco Antonio Q. H.", "alias 'el Chino'",
         "Elvira S. C.", "Richard P. V.", "alias 'Coqui'", "Hermelinda T. A."]


def _seal(obj, field: str, text: str) -> None:
    setattr(obj, f"{field}_sealed", seal_text(obj.data_key, text, context_for(obj, field)))


def _pick(rng, weighted):
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


class Directory:
    def __init__(self):
        self.by_dep: dict[tuple[str, str], list[Institution]] = defaultdict(list)
        self.any: list[Institution] = list(Institution.objects.filter(active=True))
        for institution in self.any:
            self.by_dep[(institution.ubigeo[:2], institution.kind)].append(institution)

    def one(self, rng, dep: str, kind: str) -> Institution | None:
        found = self.by_dep.get((dep, kind)) or self.by_dep.get(("15", kind))
        return rng.choice(found) if found else None

    def courts(self, dep: str, acronym: str) -> Institution | None:
        for court in self.by_dep.get((dep, "juzgado"), []):
            if court.acronym == acronym:
                return court
        return None


def legal_seed(rng, cases, today: date) -> None:
    directory = Directory()
    if not directory.any:
        return
    rules = defaultdict(list)
    for rule in DeadlineRule.objects.filter(active=True):
        rules[rule.decision].append(rule)
    rows = defaultdict(list)
    attendees = []
    sharing = {c.case_id: c for c in Consent.objects.filter(
        case__in=cases, scope="compartir", given=True)}
    for case in cases:
        dep = case.office.department_id
        if rng.random() < 0.68:
            _proceeding(rng, case, dep, today, directory, rules, rows, attendees)
        _referrals(rng, case, dep, today, directory, rows, sharing.get(case.pk))
    for model in (Proceeding, Defendant, Step, Sentence, Payment, Deadline, Hearing, Measure,
                  Referral):
        model.objects.bulk_create(rows[model], batch_size=1000)
    Hearing.attendees.through.objects.bulk_create(
        [Hearing.attendees.through(hearing_id=h.pk, user_id=u.pk) for h, u in attendees],
        batch_size=1000)


def _proceeding(rng, case, dep, today, directory, rules, rows, attendees) -> None:
    lawyer = case.lawyer
    actor = lawyer or case.worker
    filed = max(case.intake_date - timedelta(days=rng.randint(0, 40)), date(2010, 1, 1))
    form = (case.forms or ["explotacion_sexual"])[0]
    fistrap = directory.one(rng, dep, "fistrap")
    civil = rng.random() < 0.6
    proceeding = Proceeding(
        case=case, data_key=case.data_key, created_by=actor,
        police_report=f"{rng.randint(1000, 99999)}-{filed.year}" if rng.random() < 0.8 else "",
        prosecutor_file=f"{rng.randint(100, 2999)}-{filed.year}",
        prosecutor_office=fistrap, judicial_district=_district(dep), facts_on=filed - timedelta(
            days=rng.randint(10, 400)),
        charges=CHARGES.get(form, ["129-A"]), track="comun", stage="denuncia", stage_since=filed,
        last_activity_on=filed, civil_party=civil,
        civil_party_on=filed + timedelta(days=rng.randint(20, 200)) if civil else None,
        representation="organizacion" if civil else "fiscalia",
        representative=lawyer if civil else None)
    rows[Proceeding].append(proceeding)
    for _ in range(rng.randint(1, 3)):
        defendant = Defendant(proceeding=proceeding, data_key=case.data_key,
                              role=rng.choice(ROLES), situation="investigado", created_by=actor)
        _seal(defendant, "details", json.dumps({"name": rng.choice(NAMES), "alias": "",
                                                "document": "", "relation": "",
                                                "notes": ""}, ensure_ascii=False))
        rows[Defendant].append(defendant)

    def step(kind, code, day, before, after, issuer=None):
        record = Step(proceeding=proceeding, data_key=case.data_key, kind=kind,
                      decision=code if kind == D else "", stage_before=before,
                      stage_after=after, taken_on=day, issuer=issuer, recorded_by=actor)
        _seal(record, "note", "")
        rows[Step].append(record)
        return record

    step(S, "denuncia", filed, "denuncia", "denuncia")
    stage, day = "denuncia", filed
    court = directory.courts(dep, "JIP")
    for kind, code in _pick(rng, FATES):
        following = day + timedelta(days=rng.randint(20, 240))
        if following > today:
            break
        day = following
        after = code if kind == S else (procedure.DECISIONS[code].moves_to or stage)
        issuer = fistrap if code in ("archivo", "reserva_provisional", "formalizacion",
                                     "acusacion") else court
        record = step(kind, code, day, stage, after, issuer if kind == D else None)
        if after != stage:
            stage, proceeding.stage_since = after, day
        if code == "auto_enjuiciamiento":
            court = directory.courts(dep, "JPC") or court
            proceeding.court = court
            proceeding.court_file = (f"{rng.randint(100, 9999):05d}-{day.year}-0-"
                                     f"{dep}01-JR-PE-0{rng.randint(1, 4)}")
        for rule in rules.get(code, []):
            due = due_date(day, rule.days, rule.working_days)
            met = due < today and rng.random() < 0.85
            rows[Deadline].append(Deadline(
                proceeding=proceeding, step=record, rule=rule, action=rule.action_es, due_on=due,
                status="cumplido" if met else "pendiente", done_on=due if met else None,
                done_by=actor if met else None))
        if code in procedure.CONVICTIONS:
            ordered = Decimal(rng.choice([5000, 10000, 15000, 20000, 30000, 50000]))
            rows[Sentence].append(Sentence(
                step=record, penalty="efectiva", prison_years=Decimal(rng.randint(8, 25)),
                fine_days=rng.choice([None, 180, 365]), disqualification="art. 36 inc. 1, 2 y 4",
                reparation=ordered, recorded_by=actor))
            paid_share = _pick(rng, [(0, 0.5), (0.3, 0.3), (1, 0.2)])
            if paid_share:
                rows[Payment].append(Payment(
                    proceeding=proceeding, paid_on=min(today, day + timedelta(days=90)),
                    amount=(ordered * Decimal(str(paid_share))).quantize(Decimal("0.01")),
                    receipt=f"DJ-{rng.randint(10000, 99999)}", recorded_by=actor))
    proceeding.stage, proceeding.last_activity_on = stage, day
    if stage in ("investigacion_preparatoria", "etapa_intermedia", "juicio_oral", "apelacion"):
        _hearings(rng, case, proceeding, stage, court, today, rows, attendees)
    if rng.random() < 0.45:
        kind = rng.choice(["entrevista_unica", "camara_gesell", "medida_proteccion_penal",
                           "reserva_identidad", "acogida"])
        granted = rng.random() < 0.7
        requested = min(today, filed + timedelta(days=rng.randint(1, 30)))
        measure = Measure(case=case, data_key=case.data_key, proceeding=proceeding, kind=kind,
                          requested_on=requested,
                          granted_on=min(today, requested + timedelta(days=rng.randint(1, 20)))
                          if granted else None,
                          issuer=fistrap, status="otorgada" if granted else "solicitada",
                          created_by=actor)
        _seal(measure, "note", "")
        rows[Measure].append(measure)


HEARINGS = {"investigacion_preparatoria": "prision_preventiva", "etapa_intermedia":
            "control_acusacion", "juicio_oral": "juicio_oral", "apelacion": "apelacion"}


def _hearings(rng, case, proceeding, stage, court, today, rows, attendees) -> None:
    tz = timezone.get_current_timezone()
    for back in range(rng.randint(0, 2)):
        day = today - timedelta(days=rng.randint(15, 200))
        held = Hearing(proceeding=proceeding, data_key=case.data_key, kind=HEARINGS[stage],
                       starts_at=datetime.combine(day, time(rng.choice([9, 10, 11, 15])), tz),
                       court=court, status="realizada", survivor_must_attend=back == 0,
                       survivor_attended=rng.random() < 0.8 if back == 0 else None,
                       created_by=proceeding.created_by)
        _seal(held, "note", "")
        rows[Hearing].append(held)
    if rng.random() < 0.7:
        day = today + timedelta(days=rng.randint(1, 42))
        upcoming = Hearing(proceeding=proceeding, data_key=case.data_key, kind=HEARINGS[stage],
                           starts_at=datetime.combine(day, time(rng.choice([9, 10, 11, 15]), 30),
                                                      tz),
                           court=court, room=f"Sala {rng.randint(1, 6)}",
                           survivor_must_attend=rng.random() < 0.4,
                           created_by=proceeding.created_by)
        _seal(upcoming, "note", "")
        rows[Hearing].append(upcoming)
        if case.lawyer:
            attendees.append((upcoming, case.lawyer))


REFERRAL_KINDS = [("salud", "salud"), ("salud_mental", "salud"), ("albergue", "acogida"),
                  ("documentacion", "reniec"), ("defensa_legal", "defensa_publica"),
                  ("educacion", "educacion"), ("empleo", "mtpe"), ("migracion", "migraciones"),
                  ("proteccion", "cem"), ("apoyo_social", "ong")]
STATUSES = [("atendida", 0.3), ("cerrada", 0.2), ("aceptada", 0.15), ("enviada", 0.12),
            ("sin_respuesta", 0.1), ("rechazada", 0.08)]


def _referrals(rng, case, dep, today, directory, rows, consent) -> None:
    """Referrals share her identity only when she consented to sharing; otherwise the code."""
    if case.arrival in ("fiscalia", "albergue", "policia") and rng.random() < 0.7:
        source = directory.one(rng, dep, {"fiscalia": "fistrap", "albergue": "car",
                                          "policia": "pnp_trata"}[case.arrival])
        if source is not None:
            incoming = Referral(case=case, data_key=case.data_key, direction="entrante",
                                institution=source, purpose="otro", referred_on=case.intake_date,
                                status="aceptada", status_on=case.intake_date,
                                reference=(f"Oficio N.° {rng.randint(10, 999)}-"
                                           f"{case.intake_date.year}"),
                                referred_by=case.worker)
            _seal(incoming, "note", "")
            _seal(incoming, "answer", "")
            _seal(incoming, "override_reason", "")
            rows[Referral].append(incoming)
    for _ in range(rng.choices([0, 1, 2, 3], [0.3, 0.35, 0.25, 0.1])[0]):
        purpose, kind = rng.choice(REFERRAL_KINDS)
        institution = directory.one(rng, dep, kind)
        if institution is None:
            continue
        sent = case.intake_date + timedelta(days=rng.randint(0, max(0, min(
            400, ((case.closed_on or today) - case.intake_date).days))))
        status = _pick(rng, STATUSES)
        if status in ("enviada", "sin_respuesta") and (today - sent).days > 120:
            status = "cerrada"
        referral = Referral(
            case=case, data_key=case.data_key, direction="saliente", institution=institution,
            purpose=purpose, referred_on=sent,
            shared=["identidad", "resumen"] if consent else ["codigo"], consent=consent,
            status=status, status_on=min(today, sent + timedelta(days=rng.randint(0, 30)))
            if status != "enviada" else sent,
            answer_due_on=sent + timedelta(days=15),
            outcome=rng.choice(["brindado", "parcial"]) if status in ("atendida", "cerrada")
            else "", referred_by=case.worker)
        _seal(referral, "note", "")
        _seal(referral, "answer", "Atendida, se le dio cita." if status in (
            "aceptada", "atendida", "cerrada") else "")
        _seal(referral, "override_reason", "")
        rows[Referral].append(referral)


def _district(dep: str) -> str:
    return {"15": "Lima", "16": "Loreto", "08": "Cusco", "21": "Puno", "17": "Madre de Dios",
            "07": "Callao", "04": "Arequipa"}.get(dep, "Lima")

