"""Writing an import's rows, and taking them back.

New rows are written in batches with bulk inserts (a person, her identity, the case with its
code, its first status, an episode, a proceeding, a note), their change history included, so a
100,000-row workbook imports in minutes; the rows are the ones `convert` already checked with
the intake's own rules. Updated rows go one by one through the same fields, keeping what they
replace for undo. The caller holds the transaction."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from amparo.accounts.models import Office, User
from amparo.audit.services import event_record
from amparo.cases.models import (
    Case, CaseCounter, Episode, Identity, Note, Person, StatusChange,
)
from amparo.cases.services.case import identity_apply, minor_at, person_code
from amparo.crypto.envelope import context_for, data_key_new, seal_text
from amparo.crypto.models import DataKey
from amparo.imports.convert import Row
from amparo.imports.mapping import Mapping
from amparo.imports.models import ImportChange, ImportedRecord, ImportRun, Outcome
from amparo.legal.models import Proceeding, Step

BATCH = 1000
CASE_FIELDS = ["intake_date", "legacy_number", "arrival", "victim_status", "guardian_type",
               "status", "closed_on", "closure_reason", "age_at_intake", "is_minor"]
EPISODE_FIELDS = ["forms", "place_ubigeo", "started_on", "recruitment"]
PROCEEDING_FIELDS = ["police_report", "prosecutor_file", "court_file"]
IMPORT_NOTE = "Importado de %(file)s, hoja %(sheet)s, fila %(row)s."
# Rows an import makes in a case; anything else in it is someone's work since.
OWN_RECORDS = {Episode, Note, StatusChange, Proceeding, ImportedRecord}
COMPUTED = {"monitoring"}  # alerts are recomputed from the case, not work to keep


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
                         office=office, reason=f"import {run.pk} ({run.file_name})")


def _codes(batch: list[Row], offices) -> list[str]:
    """Case codes for the batch, reserving each office-year's numbers at once."""
    wanted = defaultdict(int)
    for row in batch:
        case = row.record["case"]
        wanted[(offices[case["office"]].pk, case["intake_date"].year)] += 1
    start = {}
    for (office_id, year), count in wanted.items():
        CaseCounter.objects.get_or_create(office_id=office_id, year=year)
        CaseCounter.objects.filter(office_id=office_id, year=year).update(last=F("last") + count)
        start[(office_id, year)] = CaseCounter.objects.get(office_id=office_id, year=year).last - count
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
    DataKey.objects.bulk_create(keys)
    codes = _codes(batch, offices)
    people, identities, cases = [], [], []
    for i, (row, code) in enumerate(zip(batch, codes, strict=True)):
        data = row.record
        person = Person(code=person_code(), data_key=keys[2 * i])
        identity = Identity(person=person, data_key=person.data_key)
        identity_apply(identity, data["identity"], "", "")
        age, minor = minor_at(data["identity"], data["case"]["intake_date"])
        case = Case(code=code, person=person, data_key=keys[2 * i + 1],
                    office=offices[data["case"]["office"]], worker=worker, created_by=actor,
                    age_at_intake=age, is_minor=minor, priority="media")
        _case_apply(case, data["case"], age, minor)
        row.case_code = code
        people.append(person)
        identities.append(identity)
        cases.append(case)
    Person.objects.bulk_create(people)
    bulk_create_with_history(identities, Identity, batch_size=BATCH, default_user=actor,
                             default_change_reason="import")
    bulk_create_with_history(cases, Case, batch_size=BATCH, default_user=actor,
                             default_change_reason="import")
    statuses, episodes, proceedings, steps, notes, records, changes = [], [], [], [], [], [], []
    for row, case, identity in zip(batch, cases, identities, strict=True):
        data = row.record
        statuses.append(StatusChange(case=case, to_status=case.status, changed_by=actor,
                                     reason=_("Imported from %(file)s") % {"file": run.file_name}))
        episode = _episode(case, data["episode"], actor) if data["episode"] else None
        if episode:
            episodes.append(episode)
        proceeding = None
        if data["proceeding"]:
            proceeding = _proceeding(case, data["proceeding"], actor)
            proceedings.append(proceeding)
            steps.append(_first_step(proceeding, actor))
        notes.append(_note(case, run, row, actor))
        records.append(ImportedRecord(
            office=run.office, sheet=row.sheet, key_hash=row.key_hash, case=case,
            episode_id=episode.pk if episode else None,
            proceeding_id=proceeding.pk if proceeding else None, content_hash=row.content_hash,
            case_version=case.version, identity_version=identity.version, run=run,
            row_number=row.number))
        changes.append(ImportChange(run=run, data_key=run.data_key, case=case,
                                    case_code=case.code, outcome=Outcome.IMPORTED))
    StatusChange.objects.bulk_create(statuses, batch_size=BATCH)
    bulk_create_with_history(episodes, Episode, batch_size=BATCH, default_user=actor,
                             default_change_reason="import")
    bulk_create_with_history(proceedings, Proceeding, batch_size=BATCH, default_user=actor,
                             default_change_reason="import")
    Step.objects.bulk_create(steps, batch_size=BATCH)
    Note.objects.bulk_create(notes, batch_size=BATCH)
    ImportedRecord.objects.bulk_create(records, batch_size=BATCH)
    ImportChange.objects.bulk_create(changes, batch_size=BATCH)


def _case_apply(case: Case, data: dict, age, minor) -> None:
    for name in CASE_FIELDS[:8]:
        setattr(case, name, data[name] if data[name] is not None or name == "closed_on" else "")
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
    if case.forms:
        Case.objects.filter(pk=case.pk).update(forms=case.forms)
    return episode


def _proceeding(case: Case, data: dict, actor) -> Proceeding:
    day = case.intake_date
    return Proceeding(case=case, data_key=case.data_key, created_by=actor, stage_since=day,
                      last_activity_on=day, **{k: data[k] for k in PROCEEDING_FIELDS})


def _first_step(proceeding: Proceeding, actor) -> Step:
    step = Step(proceeding=proceeding, data_key=proceeding.data_key, kind=Step.Kind.STAGE,
                stage_before=proceeding.stage, stage_after=proceeding.stage,
                taken_on=proceeding.stage_since, recorded_by=actor)
    step.seal("note", _("Brought in by an import; record the real stage and its date."))
    return step


def _note(case: Case, run: ImportRun, row: Row, actor) -> Note:
    text = IMPORT_NOTE % {"file": run.file_name, "sheet": row.sheet, "row": row.number}
    if row.record["note"]:
        text += "\n" + row.record["note"]
    note = Note(case=case, data_key=case.data_key, sensitivity="general", author=actor)
    note.text_sealed = seal_text(case.data_key, text, context_for(note, "text"))
    return note


# Updates -------------------------------------------------------------------------------------

def _snapshot(record: ImportedRecord, case: Case, identity: Identity, episode, proceeding):
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
                   "case_version": record.case_version,
                   "identity_version": record.identity_version,
                   "row_number": record.row_number},
        "case": plain(case, CASE_FIELDS + ["forms"]),
        "identity": plain(identity, IDENTITY_FIELDS),
        "episode": plain(episode, EPISODE_FIELDS + ["description_sealed"]) if episode else None,
        "proceeding": plain(proceeding, PROCEEDING_FIELDS),
    }


def _update(actor, run: ImportRun, row: Row) -> None:
    data = row.record
    record = ImportedRecord.objects.select_for_update().get(pk=data["_imported"].pk)
    case = Case.objects.select_for_update().select_related("data_key").get(pk=record.case_id)
    identity = Identity.objects.select_for_update().get(person_id=case.person_id)
    if case.version != record.case_version or identity.version != record.identity_version:
        raise ValidationError(_("Case %(code)s changed while the import ran; run it again.")
                              % {"code": case.code})
    episode = Episode.objects.filter(pk=record.episode_id).first() if record.episode_id else None
    proceeding = (Proceeding.objects.filter(pk=record.proceeding_id).first()
                  if record.proceeding_id else None)
    before = _snapshot(record, case, identity, episode, proceeding)
    if before["episode"]:
        before["episode"]["description_sealed"] = episode.unseal("description")
    identity_apply(identity, data["identity"], None, None)
    identity.version += 1
    identity._change_reason = "import"
    identity.save()
    age, minor = minor_at(data["identity"], data["case"]["intake_date"])
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
            _first_step(proceeding, actor).save()
        else:
            for name in PROCEEDING_FIELDS:
                setattr(proceeding, name, data["proceeding"][name])
            proceeding.version += 1
            proceeding.save()
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
    record.row_number = row.number
    record.save()
    change = ImportChange(run=run, data_key=run.data_key, case=case, case_code=case.code,
                          outcome=Outcome.UPDATED)
    change.before_sealed = seal_text(run.data_key, json.dumps(before, default=str),
                                     context_for(change, "before"))
    change.save()


# Undo ----------------------------------------------------------------------------------------

def rows_undo(*, actor: User, run: ImportRun, request=None) -> dict[str, list[str]]:
    changes = list(ImportChange.objects.filter(run=run).select_related("case"))
    ids = [c.case_id for c in changes if c.case_id]
    later = (ImportChange.objects.filter(case_id__in=ids, run__created_at__gt=run.created_at,
                                         run__status=ImportRun.Status.DONE)
             .values_list("run__file_name", flat=True).distinct())
    if later:
        raise ValidationError(_("A later import (%(files)s) changed some of these cases; undo "
                                "it first.") % {"files": ", ".join(later)})
    touched = _touched(changes)
    if touched:
        raise ValidationError(_("These cases were worked on in Amparo after the import, and "
                                "undoing it would lose that work: %(codes)s. Nothing was undone.")
                              % {"codes": ", ".join(sorted(touched)[:50])
                                 + (" …" if len(touched) > 50 else "")})
    created = [c for c in changes if c.outcome == Outcome.IMPORTED and c.case_id]
    updated = [c for c in changes if c.outcome == Outcome.UPDATED and c.case_id]
    for change in updated:
        _restore(change, run)
    _delete([c.case_id for c in created])
    for action, batch in (("delete", created), ("update", updated)):
        if batch:
            event_record(action=action, request=request, actor=actor, object_type="case",
                         object_ids=[c.case_code for c in batch], section="import",
                         office=run.office, reason=f"undo of import {run.pk} ({run.file_name})")
    return {"deleted": [c.case_code for c in created], "restored": [c.case_code for c in updated]}


def _touched(changes: list[ImportChange]) -> set[str]:
    """Codes of the cases someone worked on since this run wrote them."""
    ids = {c.case_id: c.case_code for c in changes if c.case_id}
    touched = set()
    records = {r.case_id: r for r in ImportedRecord.objects.filter(case_id__in=ids)
               .select_related("case", "case__person__identity")}
    for case_id, record in records.items():
        if (record.case.version != record.case_version
                or record.case.person.identity.version != record.identity_version):
            touched.add(ids[case_id])
    for relation in Case._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or model in OWN_RECORDS or \
                model._meta.app_label in COMPUTED or relation.field.name != "case":
            continue
        touched |= {ids[i] for i in model._default_manager.filter(case_id__in=ids)
                    .values_list("case_id", flat=True).distinct()}
    # Its own kinds of record count only beyond what the import made.
    made = defaultdict(lambda: {"episode": 0, "proceeding": 0, "note": 0, "status": 0})
    for change in ImportChange.objects.filter(case_id__in=ids).select_related("run"):
        if change.run.status in (ImportRun.Status.DONE,):
            made[change.case_id]["note"] += 1
    for case_id, record in records.items():
        made[case_id]["episode"] = 1 if record.episode_id else 0
        made[case_id]["proceeding"] = 1 if record.proceeding_id else 0
    for model, name in ((Episode, "episode"), (Proceeding, "proceeding"), (Note, "note")):
        for case_id, count in (model.objects.filter(case_id__in=ids).values("case_id")
                               .annotate(n=Count("pk")).values_list("case_id", "n")):
            if count > made[case_id][name]:
                touched.add(ids[case_id])
    moved = StatusChange.objects.filter(case_id__in=ids).values("case_id").annotate(
        n=Count("pk")).filter(n__gt=1).values_list("case_id", flat=True)
    touched |= {ids[i] for i in moved}
    for step_case in (Step.objects.filter(proceeding__case_id__in=ids).values("proceeding_id")
                      .annotate(n=Count("pk")).filter(n__gt=1)
                      .values_list("proceeding__case_id", flat=True)):
        touched.add(ids[step_case])
    return touched


def _restore(change: ImportChange, run: ImportRun) -> None:
    from amparo.crypto.envelope import open_text

    before = json.loads(open_text(run.data_key, change.before_sealed,
                                  context_for(change, "before")))
    case = Case.objects.select_for_update().get(pk=change.case_id)
    identity = Identity.objects.select_for_update().get(person_id=case.person_id)
    identity_apply(identity, {k: _day(k, v) for k, v in before["identity"].items()}, None, None)
    identity.version += 1
    identity.save()
    for name, value in before["case"].items():
        setattr(case, name, _day(name, value))
    case.version += 1
    case.save()
    record = ImportedRecord.objects.get(case=case)
    kept = before["record"]
    for model, name in ((Episode, "episode"), (Proceeding, "proceeding")):
        now = getattr(record, f"{name}_id")
        if before[name] is None and now:  # the update made it
            if model is Proceeding:
                Step.objects.filter(proceeding_id=now).delete()
            model.objects.filter(pk=now).delete()
        elif before[name] is not None:
            obj = model.objects.get(pk=kept[f"{name}_id"])
            for field, value in before[name].items():
                if field == "description_sealed":
                    obj.seal("description", value)
                else:
                    setattr(obj, field, _day(field, value))
            obj.version += 1
            obj.save()
    Note.objects.filter(pk=before["note_id"]).delete()
    record.content_hash, record.run_id = kept["content_hash"], kept["run_id"]
    record.episode_id = kept["episode_id"] or None
    record.proceeding_id = kept["proceeding_id"] or None
    record.case_version, record.identity_version = case.version, identity.version
    record.row_number = kept["row_number"]
    record.save()


def _day(name: str, value):
    if value and name in ("birth_date", "intake_date", "closed_on", "started_on"):
        return date.fromisoformat(value)
    return value


def _delete(case_ids: list) -> None:
    """Cases the import created and no one touched: gone, with their history and keys."""
    for start in range(0, len(case_ids), BATCH):
        ids = case_ids[start:start + BATCH]
        cases = list(Case.objects.filter(pk__in=ids).values("pk", "person_id", "data_key_id",
                                                             "person__data_key_id"))
        person_ids = {c["person_id"] for c in cases}
        proceedings = list(Proceeding.objects.filter(case_id__in=ids).values_list("pk", flat=True))
        episodes = list(Episode.objects.filter(case_id__in=ids).values_list("pk", flat=True))
        Step.objects.filter(proceeding_id__in=proceedings).delete()
        Case.objects.filter(pk__in=ids).delete()
        alone = set(Person.objects.filter(pk__in=person_ids).annotate(n=Count("cases"))
                    .filter(n=0).values_list("pk", flat=True))
        identities = list(Identity.objects.filter(person_id__in=alone).values_list("pk", flat=True))
        Identity.objects.filter(pk__in=identities).delete()
        Person.objects.filter(pk__in=alone).delete()
        # After the deletes, which write history rows of their own: no copy of a name stays.
        Identity.history.filter(id__in=identities).delete()
        Proceeding.history.filter(id__in=proceedings).delete()
        Episode.history.filter(id__in=episodes).delete()
        Case.history.filter(id__in=ids).delete()
        keys = [c["data_key_id"] for c in cases] + [c["person__data_key_id"] for c in cases
                                                    if c["person_id"] in alone]
        # Crypto-erase, as data_key_destroy does, for the whole batch at once.
        DataKey.objects.filter(pk__in=keys).update(wrapped=b"", destroyed_at=timezone.now())
