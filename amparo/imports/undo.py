"""Taking an import back as a whole: the cases it created are deleted (with their history, and
their data keys destroyed), the rows it updated get back what they held. Refused, with the codes,
when anyone worked on one of those cases since, or a later import changed them: undo never
loses someone's work. Every query goes in chunks, so a 100,000-case import undoes in one
transaction without a giant IN list."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import event_record
from amparo.cases.access import cases_for_job
from amparo.cases.models import Case, Episode, FollowUp, Identity, Note, Person, StatusChange
from amparo.cases.services.case import identity_apply
from amparo.crypto.envelope import context_for, open_text
from amparo.crypto.models import DataKey
from amparo.imports.models import ImportChange, ImportedRecord, ImportRun, Outcome
from amparo.legal.models import Proceeding, Step
from amparo.monitoring.models import Alert, AlertCondition, AlertEvent

CHUNK = 500
# What an import writes in a case, and what the monitoring computes from it; any other row that
# points at the case (a follow-up, a consent, a risk assessment, a referral…) is someone's work.
OWN = {Episode, Note, StatusChange, Proceeding, FollowUp, ImportedRecord, ImportChange, Alert}
OWN_IN_PROCEEDING = {Step}


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rows_undo(*, actor: User, run: ImportRun, request=None) -> dict[str, list[str]]:
    changes = list(ImportChange.objects.filter(run=run, case__isnull=False)
                   .values_list("pk", "case_id", "case_code", "outcome"))
    ids = [case_id for _pk, case_id, _code, _outcome in changes]
    codes = {case_id: code for _pk, case_id, code, _outcome in changes}
    later = set()
    for part in chunks(ids):
        later |= set(ImportChange.objects.filter(
            case_id__in=part, run__created_at__gt=run.created_at,
            run__status=ImportRun.Status.DONE).values_list("run_id", flat=True))
    if later:
        names = (r.file_name for r in ImportRun.objects.filter(pk__in=later)
                 .select_related("data_key"))
        raise ValidationError(_("A later import (%(files)s) changed some of these cases; undo "
                                "it first.") % {"files": ", ".join(sorted(names))})
    touched = sorted(codes[i] for i in touched_since(ids))
    if touched:
        raise ValidationError(_("These cases were worked on in Amparo after the import, and "
                                "undoing it would lose that work: %(codes)s. Nothing was undone.")
                              % {"codes": ", ".join(touched[:50]) + (" …" if len(touched) > 50
                                                                     else "")})
    created = [case_id for _pk, case_id, _c, outcome in changes if outcome == Outcome.IMPORTED]
    updated = [pk for pk, _case_id, _c, outcome in changes if outcome == Outcome.UPDATED]
    for change in ImportChange.objects.filter(pk__in=updated):
        _restore(change, run)
    for part in chunks(created):
        _delete(part)
    deleted = [codes[i] for i in created]
    restored = [code for _pk, _i, code, outcome in changes if outcome == Outcome.UPDATED]
    for action, listed in (("delete", deleted), ("update", restored)):
        if listed:
            event_record(action=action, request=request, actor=actor, object_type="case",
                         object_ids=listed, section="import", office=run.office,
                         reason=f"undo of import {run.pk}")
    return {"deleted": deleted, "restored": restored}


def touched_since(ids: list) -> set:
    """Ids of the cases someone worked on since an import wrote them."""
    touched = set()
    for part in chunks(ids):
        touched |= _touched(part)
    return touched


def _touched(ids: list) -> set:
    touched = {case_id for case_id, case_version, identity_version, now_case, now_identity in
               ImportedRecord.objects.filter(case_id__in=ids).values_list(
                   "case_id", "case_version", "identity_version", "case__version",
                   "case__person__identity__version")
               if (case_version, identity_version) != (now_case, now_identity)}
    touched |= _others(Case, "case", ids, OWN)
    proceedings = dict(Proceeding.objects.filter(case_id__in=ids).values_list("pk", "case_id"))
    touched |= {proceedings[p] for p in _others(Proceeding, "proceeding", list(proceedings),
                                                OWN_IN_PROCEEDING)}
    # Its own kinds of row count only beyond what the imports made: one episode, one
    # proceeding with its first step, one status, one follow-up, one note per run that wrote
    # the case.
    made_notes = Counter(ImportChange.objects.filter(
        case_id__in=ids, run__status=ImportRun.Status.DONE).values_list("case_id", flat=True))
    followed = set(ImportedRecord.objects.filter(case_id__in=ids, follow_up_id__isnull=False)
                   .values_list("case_id", flat=True))
    for model, limit in ((Episode, lambda i: 1), (Proceeding, lambda i: 1),
                         (StatusChange, lambda i: 1), (Note, lambda i: made_notes[i]),
                         (FollowUp, lambda i: 1 if i in followed else 0)):
        for case_id, n in model.objects.filter(case_id__in=ids).values("case_id").annotate(
                n=Count("pk")).values_list("case_id", "n"):
            if n > limit(case_id):
                touched.add(case_id)
    for proceeding_id, n in Step.objects.filter(proceeding_id__in=list(proceedings)).values(
            "proceeding_id").annotate(n=Count("pk")).values_list("proceeding_id", "n"):
        if n > 1:
            touched.add(proceedings[proceeding_id])
    # An alert someone acknowledged, snoozed or commented on is work too.
    touched |= set(AlertEvent.objects.filter(alert__case_id__in=ids, actor__isnull=False)
                   .values_list("alert__case_id", flat=True))
    return touched


def _others(model, name: str, ids: list, own: set) -> set:
    """Ids among `ids` that any row of a model outside `own` points at."""
    found = set()
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related in own or not (relation.one_to_many or relation.one_to_one):
            continue
        field = relation.field.attname
        found |= set(related._default_manager.filter(**{f"{field}__in": ids})
                     .values_list(field, flat=True))
    return found


def _restore(change: ImportChange, run: ImportRun) -> None:
    before = json.loads(open_text(run.data_key, change.before_sealed,
                                  context_for(change, "before")))
    case = cases_for_job("import undo").select_for_update().get(pk=change.case_id)
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
    for model, name in ((Episode, "episode"), (Proceeding, "proceeding"),
                        (FollowUp, "follow_up")):
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
            if hasattr(obj, "version"):  # follow-ups are not versioned
                obj.version += 1
            obj.save()
    Note.objects.filter(pk=before["note_id"]).delete()
    record.content_hash, record.run_id = kept["content_hash"], kept["run_id"]
    record.episode_id = kept["episode_id"] or None
    record.proceeding_id = kept["proceeding_id"] or None
    record.follow_up_id = kept["follow_up_id"] or None
    record.case_version, record.identity_version = case.version, identity.version
    record.row_number = kept["row_number"]
    record.save()


def _day(name: str, value):
    if value and name in ("birth_date", "intake_date", "closed_on", "started_on", "contacted_on"):
        return date.fromisoformat(value)
    return value


def _gone(queryset) -> None:
    """DELETE the rows as one statement. Django's delete() would load every row to send the
    change-history signals, which here would only write copies of what is being erased."""
    queryset._raw_delete(queryset.db)


def _delete(case_ids: list) -> None:
    """Cases the import created and no one touched: gone, with their history and keys. The
    checks above leave only the rows named here pointing at them."""
    cases = list(cases_for_job("import undo").filter(pk__in=case_ids).values_list(
        "person_id", "data_key_id", "person__data_key_id"))
    proceedings = list(Proceeding.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    episodes = list(Episode.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    alerts = Alert.objects.filter(case_id__in=case_ids)
    _gone(AlertEvent.objects.filter(alert__in=alerts))
    _gone(alerts)
    _gone(AlertCondition.objects.filter(case_id__in=case_ids))
    _gone(Step.objects.filter(proceeding_id__in=proceedings))
    for model in (Proceeding, Episode, FollowUp, Note, StatusChange, ImportedRecord):
        _gone(model.objects.filter(case_id__in=case_ids))
    ImportChange.objects.filter(case_id__in=case_ids).update(case=None)  # the run's record stays
    _gone(cases_for_job("import undo").filter(pk__in=case_ids))
    people = {person for person, _key, _person_key in cases}
    alone = people - set(cases_for_job("import undo").filter(person_id__in=people)
                         .values_list("person_id", flat=True))
    identities = list(Identity.objects.filter(person_id__in=alone).values_list("pk", flat=True))
    _gone(Identity.objects.filter(pk__in=identities))
    _gone(Person.objects.filter(pk__in=alone))
    for model, pks in ((Identity, identities), (Proceeding, proceedings), (Episode, episodes),
                       (Case, case_ids)):
        _gone(model.history.filter(id__in=pks))  # no copy of a name stays in the history
    keys = [key for _p, key, _pk in cases] + [key for person, _k, key in cases if person in alone]
    # Crypto-erase, as data_key_destroy does, for the whole chunk at once.
    DataKey.objects.filter(pk__in=keys).update(wrapped=b"", destroyed_at=timezone.now())
