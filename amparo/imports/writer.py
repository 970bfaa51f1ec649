"""Writing an import's rows, and taking them back.

New rows are written in batches with bulk inserts (a person, her identity, the case with its
code, its first status, an episode, a proceeding, a note), their change history included, so a
100,000-row workbook imports in minutes; the rows are the ones `convert` already checked with
the intake's own rules. Updated rows go one by one through the same fields, keeping what they
replace for undo. The caller holds the transaction."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import Office, User
from amparo.audit.services import event_record
from amparo.cases.access import cases_for_job
from amparo.cases.models import (
    Case,
    CaseCounter,
    Episode,
    FollowUp,
    Identity,
    Note,
    Person,
    StatusChange,
)
from amparo.cases.services.case import identity_apply, minor_at, person_code
from amparo.core.counters import counter_take
from amparo.crypto.envelope import context_for, context_of, data_key_new, seal_text
from amparo.crypto.models import DataKey
from amparo.imports.bulk import insert, insert_history, insert_returning_ids, insert_rows
from amparo.imports.mapping import Mapping
from amparo.imports.models import ImportChange, ImportedRecord, ImportRun, Outcome
from amparo.imports.reading import Row
from amparo.legal.models import Proceeding, Step

BATCH = 1000
# What a row says of the case; with the age and minority worked out from them, what an update
# replaces and undo puts back.
CASE_DATA = ["intake_date", "legacy_number", "arrival", "victim_status", "guardian_type",
             "status", "closed_on", "closure_reason"]
CASE_FIELDS = CASE_DATA + ["age_at_intake", "is_minor"]
EPISODE_FIELDS = ["forms", "place_ubigeo", "started_on", "recruitment"]
PROCEEDING_FIELDS = ["police_report", "prosecutor_file", "court_file"]
FOLLOW_UP_FIELDS = ["contacted_on", "channel", "reached"]


@contextmanager
def big_cache(megabytes: int = 256):
    """SQLite keeps 2 MB of pages by default: a transaction of a million rows would write its
    index pages out again and again. For the import's length it may keep more."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def rows_write(*, actor: User, run: ImportRun, rows: list[Row], mapping: Mapping,
               worker: User, request=None) -> None:
    offices = {o.code: o for o in Office.objects.all()}
    new = [r for r in rows if r.outcome == Outcome.IMPORTED]
    for start in range(0, len(new), BATCH):
        _create(actor, run, new[start:start + BATCH], offices, worker)
    updated = [r for r in rows if r.outcome == Outcome.UPDATED]
    for row in updated:
        _update(actor, run, row)
    office = offices[mapping.office]
    for action, batch in (("create", new), ("update", updated)):
        if batch:
            event_record(action=action, request=request, actor=actor, object_type="case",
                         object_ids=[r.case_code for r in batch], section="import",
                         office=office, reason=f"import {run.pk}")


def _codes(batch: list[Row], offices) -> list[str]:
    """Case codes for the batch, reserving each office-year's numbers at once."""
    wanted = defaultdict(int)
    for row in batch:
        case = row.record["case"]
        wanted[(offices[case["office"]].pk, case["intake_date"].year)] += 1
    start = {}
    for (office_id, year), count in wanted.items():
        last = counter_take(CaseCounter, count=count, office_id=office_id, year=year)
        start[(office_id, year)] = last - count
    codes = []
    for row in batch:
        case = row.record["case"]
        office = offices[case["office"]]
        slot = (office.pk, case["intake_date"].year)
        start[slot] += 1
        codes.append(f"{office.case_prefix}-{slot[1]}-{start[slot]:04d}")
    return codes


def _create(actor, run, batch: list[Row], offices, worker) -> None:
    keys = [data_key_new() for _ in range(2 * len(batch))]
    codes = _codes(batch, offices)
    people, identities, cases, episodes_by_case = [], [], [], {}
    for i, (row, code) in enumerate(zip(batch, codes, strict=True)):
        data = row.record
        person = Person(code=person_code(), data_key=keys[2 * i])
        identity = Identity(person=person, data_key=person.data_key)
        identity_apply(identity, data["identity"], "", "")
        age, minor = _age(data)
        case = Case(code=code, person=person, data_key=keys[2 * i + 1],
                    office=offices[data["case"]["office"]], worker=worker, created_by=actor,
                    age_at_intake=age, is_minor=minor, priority="media")
        _case_apply(case, data["case"], age, minor)
        if data["episode"]:
            episodes_by_case[id(case)] = _episode(case, data["episode"], actor)
        row.case_code = code
        people.append(person)
        identities.append(identity)
        cases.append(case)
    now = timezone.now()
    reason = "import"
    insert(DataKey, keys, now=now)
    insert_returning_ids(Person, people, now=now)
    insert(Identity, identities, now=now)
    insert_history(Identity, identities, user=actor, reason=reason, now=now)
    insert_returning_ids(Case, cases, now=now)  # the other rows refer to their ids
    insert_history(Case, cases, user=actor, reason=reason, now=now)
    # Rows nothing reads back are written as plain values: no model instance per row.
    arrived = _("Imported from %(file)s") % {"file": run.file_name}  # sealed with each case
    status_table = StatusChange._meta.db_table
    statuses, episodes, proceedings, steps, notes, records, changes = [], [], [], [], [], [], []
    follow_ups = []
    for row, case, identity in zip(batch, cases, identities, strict=True):
        data = row.record
        ref = uuid.uuid4()
        statuses.append({"case_id": case.pk, "from_status": "", "to_status": case.status,
                         "data_key_id": case.data_key_id, "seal_ref": ref,
                         "reason_sealed": seal_text(case.data_key, arrived,
                                                    context_of(status_table, "reason", ref)),
                         "changed_at": now, "changed_by_id": actor.pk})
        episode = episodes_by_case.get(id(case))
        if episode:
            episodes.append(episode)
        proceeding = None
        if data["proceeding"]:
            proceeding = _proceeding(case, data["proceeding"], actor)
            proceedings.append(proceeding)
            steps.append(_first_step(proceeding, actor, data["proceeding"].get("status", "")))
        follow_up = _follow_up(case, data["follow_up"], actor) if data["follow_up"] else None
        if follow_up:
            follow_ups.append(follow_up)
        note_id = uuid.uuid4()
        notes.append({"id": note_id, "case_id": case.pk, "data_key_id": case.data_key_id,
                      "sensitivity": "general", "created_at": now, "author_id": actor.pk,
                      "text_sealed": seal_text(case.data_key, _note_text(run, row),
                                               context_of(Note._meta.db_table, "text", note_id))})
        records.append({
            "office_id": run.office_id, "sheet": row.sheet, "key_hash": row.key_hash,
            "case_id": case.pk, "episode_id": episode.pk if episode else None,
            "proceeding_id": proceeding.pk if proceeding else None,
            "follow_up_id": follow_up.pk if follow_up else None,
            "content_hash": row.content_hash, "case_version": case.version,
            "identity_version": identity.version, "run_id": run.pk, "row_number": row.number})
        changes.append({"id": uuid.uuid4(), "run_id": run.pk, "data_key_id": run.data_key_id,
                         "case_id": case.pk, "case_code": case.code,
                         "outcome": Outcome.IMPORTED, "before_sealed": b""})
    for model, objects in ((Episode, episodes), (Proceeding, proceedings), (Step, steps),
                           (FollowUp, follow_ups)):
        insert(model, objects, now=now)
        if model in (Episode, Proceeding):
            insert_history(model, objects, user=actor, reason=reason, now=now)
    for model, rows in ((StatusChange, statuses), (Note, notes), (ImportedRecord, records),
                        (ImportChange, changes)):
        insert_rows(model, rows)


def _age(data: dict) -> tuple[int | None, bool]:
    """Her age at intake and whether she was a child; "menor" with no age is a child."""
    age, minor = minor_at(data["identity"], data["case"]["intake_date"])
    return age, minor or bool(data["case"].get("minor_unknown_age") and age is None)


def _case_apply(case: Case, data: dict, age, minor) -> None:
    for name in CASE_DATA:
        setattr(case, name, data[name])
    case.age_at_intake, case.is_minor = age, minor
    if not minor:
        case.guardian_type = ""
    case.forms = []


def _episode(case: Case, data: dict, actor) -> Episode:
    episode = Episode(case=case, data_key=case.data_key, kind="explotacion", created_by=actor,
                      **{k: data[k] for k in EPISODE_FIELDS})
    episode.seal("description", data["description"])
    episode.seal("perpetrators", "")
    case.forms = sorted(set(case.forms) | set(data["forms"]))
    return episode


def _follow_up(case: Case, data: dict, actor) -> FollowUp:
    follow_up = FollowUp(case=case, data_key=case.data_key, created_by=actor,
                         **{k: data[k] for k in FOLLOW_UP_FIELDS})
    follow_up.seal("note", "")
    return follow_up


# A register's legal status → the stage the proceeding starts at, and the decision that took it
# there (None: a plain stage). Its date is unknown: the intake date stands in, and says so.
STATUS_START = {
    "denuncia": ("denuncia", None, None),
    "diligencias_preliminares": ("diligencias_preliminares", None, None),
    "investigacion_preparatoria": ("investigacion_preparatoria", None, None),
    "etapa_intermedia": ("etapa_intermedia", None, None),
    "juicio_oral": ("juicio_oral", None, None),
    "archivo": ("concluido", "archivo", "diligencias_preliminares"),
    "sentencia_condenatoria": ("juicio_oral", "sentencia_condenatoria", "juicio_oral"),
    "sentencia_absolutoria": ("juicio_oral", "sentencia_absolutoria", "juicio_oral"),
}


def _proceeding(case: Case, data: dict, actor) -> Proceeding:
    day = case.intake_date
    stage = STATUS_START.get(data.get("status") or "", ("denuncia", None, None))[0]
    return Proceeding(case=case, data_key=case.data_key, created_by=actor,
                      stage=stage, stage_since=day, last_activity_on=day,
                      **{k: data[k] for k in PROCEEDING_FIELDS})


def _first_step(proceeding: Proceeding, actor, status: str = "") -> Step:
    """The step that brought the proceeding in: at the register's legal status, if it said."""
    stage, decision, before = STATUS_START.get(status, (proceeding.stage, None, None))
    step = Step(proceeding=proceeding, data_key=proceeding.data_key,
                kind=Step.Kind.DECISION if decision else Step.Kind.STAGE,
                decision=decision or "", stage_before=before or stage, stage_after=stage,
                taken_on=proceeding.stage_since, recorded_by=actor)
    step.seal("note", _("Brought in by an import (the register said: %(status)s). Its real "
                        "date is unknown: the intake date stands in. Record the real stage, "
                        "decision and date.") % {"status": status or "—"}
              if status else _("Brought in by an import; record the real stage and its date."))
    return step


def _note_text(run: ImportRun, row: Row) -> str:
    text = _("Imported from %(file)s, sheet %(sheet)s, row %(row)s.") % {
        "file": run.file_name, "sheet": row.sheet, "row": row.number}
    return text + ("\n" + row.record["note"] if row.record["note"] else "")


# Updates -------------------------------------------------------------------------------------

def _snapshot(record: ImportedRecord, case: Case, identity: Identity, episode, proceeding,
              follow_up):
    def plain(obj, fields):
        if obj is None:
            return None
        return {f: (v.isoformat() if isinstance(v, date) else v)
                for f in fields for v in [getattr(obj, f)]}

    from amparo.cases.services.case import IDENTITY_FIELDS

    return {
        "record": {"content_hash": record.content_hash, "run_id": str(record.run_id),
                   "episode_id": str(record.episode_id or ""),
                   "proceeding_id": str(record.proceeding_id or ""),
                   "follow_up_id": str(record.follow_up_id or ""),
                   "case_version": record.case_version,
                   "identity_version": record.identity_version,
                   "row_number": record.row_number},
        "case": plain(case, CASE_FIELDS + ["forms"]),
        "identity": plain(identity, IDENTITY_FIELDS),
        "episode": plain(episode, EPISODE_FIELDS + ["description_sealed"]) if episode else None,
        "proceeding": plain(proceeding, PROCEEDING_FIELDS),
        "follow_up": plain(follow_up, FOLLOW_UP_FIELDS),
    }


def _update(actor, run: ImportRun, row: Row) -> None:
    data = row.record
    record = ImportedRecord.objects.select_for_update().get(pk=data["_imported"])
    case = cases_for_job("import").select_for_update().select_related("data_key").get(
        pk=record.case_id)
    identity = Identity.objects.select_for_update().get(person_id=case.person_id)
    if case.version != record.case_version or identity.version != record.identity_version:
        raise ValidationError(_("Case %(code)s changed while the import ran; run it again.")
                              % {"code": case.code})
    episode = Episode.objects.filter(pk=record.episode_id).first() if record.episode_id else None
    proceeding = (Proceeding.objects.filter(pk=record.proceeding_id).first()
                  if record.proceeding_id else None)
    follow_up = (FollowUp.objects.filter(pk=record.follow_up_id).first()
                 if record.follow_up_id else None)
    before = _snapshot(record, case, identity, episode, proceeding, follow_up)
    if before["episode"]:
        before["episode"]["description_sealed"] = episode.unseal("description")
    identity_apply(identity, data["identity"], None, None)
    identity.version += 1
    identity._change_reason = "import"
    identity.save()
    age, minor = _age(data)
    forms = case.forms
    _case_apply(case, data["case"], age, minor)
    case.forms = forms
    if data["episode"]:
        if episode is None:
            episode = _episode(case, data["episode"], actor)
        else:
            for name in EPISODE_FIELDS:
                setattr(episode, name, data["episode"][name])
            episode.seal("description", data["episode"]["description"])
            episode.version += 1
        episode.save()
        case.forms = sorted({code for forms in Episode.objects.filter(case=case)
                             .values_list("forms", flat=True) for code in forms or []})
    if data["proceeding"]:
        if proceeding is None:
            proceeding = _proceeding(case, data["proceeding"], actor)
            proceeding.save()
            _first_step(proceeding, actor, data["proceeding"].get("status", "")).save()
        else:
            for name in PROCEEDING_FIELDS:
                setattr(proceeding, name, data["proceeding"][name])
            proceeding.version += 1
            proceeding.save()
    if data["follow_up"]:
        if follow_up is None:
            follow_up = _follow_up(case, data["follow_up"], actor)
        for name in FOLLOW_UP_FIELDS:
            setattr(follow_up, name, data["follow_up"][name])
        follow_up.save()
    case.version += 1
    case._change_reason = "import"
    case.save()
    note = Note(case=case, data_key=case.data_key, sensitivity="general", author=actor)
    note.text_sealed = seal_text(case.data_key, _(
        "Updated by an import of %(file)s, sheet %(sheet)s, row %(row)s.") % {
        "file": run.file_name, "sheet": row.sheet, "row": row.number}
        + (("\n" + data["note"]) if data["note"] else ""), context_for(note, "text"))
    note.save()
    before["note_id"] = str(note.pk)
    record.content_hash, record.run = row.content_hash, run
    record.case_version, record.identity_version = case.version, identity.version
    record.episode_id = episode.pk if episode else None
    record.proceeding_id = proceeding.pk if proceeding else None
    record.follow_up_id = follow_up.pk if follow_up else None
    record.row_number = row.number
    record.save()
    change = ImportChange(run=run, data_key=run.data_key, case=case, case_code=case.code,
                          outcome=Outcome.UPDATED)
    change.before_sealed = seal_text(run.data_key, json.dumps(before, default=str),
                                     context_for(change, "before"))
    change.save()
