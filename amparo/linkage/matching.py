"""The matching pipeline, run by the background worker's task (`linkage.tasks`); the queue page
polls the run.

A full run links every open report to every registered person and looks for duplicate persons,
training the model on the data it has; it keeps the trained model. A run for new records
(after an import of reports, or a new person) scores only them against the rest with the last
model, through Splink's incremental prediction: seconds, not minutes."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from amparo.audit.services import event_record
from amparo.core.liveness import process_mark
from amparo.linkage.engine import POSSIBLE, Engine, Pair
from amparo.linkage.features import features
from amparo.linkage.models import Candidate, MatchRun, MissingReport, ReportStatus
from amparo.linkage.records import Record
from amparo.linkage.selectors import person_rows

log = logging.getLogger(__name__)
OPEN = (ReportStatus.MISSING, ReportStatus.FOUND)
CHUNK = 5000  # ids per query: SQLite caps the variables of one query


def person_records(person_ids=None) -> list[Record]:
    out = []
    for (pk, given, paternal, maternal, sex, birth, age, doc_type, doc, origin, intake,
         office_department) in person_rows(person_ids):
        out.append(Record(f"p{pk}", features(
            given_names=given, paternal_surname=paternal, maternal_surname=maternal, sex=sex,
            birth_date=birth, age=age, event_date=intake, document_type=doc_type,
            document_number=doc, department=(origin or "")[:2] or office_department or "")))
    return out


def report_records(reports) -> list[Record]:
    return [Record(f"r{r.pk}", features(
        given_names=r.given_names, paternal_surname=r.paternal_surname,
        maternal_surname=r.maternal_surname, sex=r.sex, birth_date=r.birth_date, age=r.age,
        event_date=r.missing_on, document_type=r.document_type,
        document_number=r.document_number, department=r.department)) for r in reports]


def _progress(run: MatchRun, stage: str, percent: int, **counts) -> None:
    MatchRun.objects.filter(pk=run.pk).update(stage=stage, percent=percent, **counts)


def _full(run: MatchRun) -> None:
    _progress(run, "reading", 5)
    persons = person_records()
    reports = report_records(MissingReport.objects.filter(status__in=OPEN).iterator())
    _progress(run, "reports", 20, persons=len(persons), reports=len(reports))
    proposed, models, operating = 0, {}, {}
    if persons and reports:
        engine = Engine(reports, persons)
        engine.train(labels=decided_labels(Candidate.Kind.REPORT))
        proposed += candidates_propose(engine.pairs(POSSIBLE), run=run)
        models["link"] = engine.model()
        operating[Candidate.Kind.REPORT] = {**engine.operating_point().as_dict(),
                                            "learned": engine.learned}
    _progress(run, "persons", 60, proposed=proposed)
    if len(persons) > 1:
        engine = Engine(persons)
        engine.train(labels=decided_labels(Candidate.Kind.PERSONS))
        proposed += candidates_propose(engine.pairs(POSSIBLE), run=run)
        models["dedupe"] = engine.model()
        operating[Candidate.Kind.PERSONS] = {**engine.operating_point().as_dict(),
                                             "learned": engine.learned}
    # Where the queue marks a pair "probable": measured by this run, for the precision asked.
    models["operating"] = operating
    MatchRun.objects.filter(pk=run.pk).update(model=models, proposed=proposed)


def decided_labels(kind: str) -> list[tuple[dict, bool]]:
    """Every pair of this kind a reviewer decided "same" or "different": its level at each
    comparison (as the evidence shown to her recorded it) and her answer. The next full run
    learns m from them (Engine._learn)."""
    decided = Candidate.objects.filter(
        kind=kind, status__in=[Candidate.Status.SAME, Candidate.Status.DIFFERENT]
    ).values_list("evidence", "status")
    return [({name: level for name, level, _weight in evidence or []},
             status == Candidate.Status.SAME) for evidence, status in decided.iterator()]


def _new(run: MatchRun, report_ids: list[int], person_ids: list[int]) -> None:
    """New reports against every person; a new person against every person and open report."""
    last = MatchRun.objects.filter(kind=MatchRun.Kind.FULL, status=MatchRun.Status.DONE,
                                   model__isnull=False).first()
    models = last.model if last else {}
    _progress(run, "reading", 10)
    new_persons = person_records(person_ids) if person_ids else []
    new_reports = report_records(MissingReport.objects.filter(pk__in=report_ids,
                                                              status__in=OPEN))
    fresh = {p.record_id for p in new_persons}
    persons = [r for r in person_records() if r.record_id not in fresh]
    _progress(run, "reports", 40, persons=len(persons) + len(new_persons),
              reports=len(new_reports))
    proposed = 0
    # Reports against persons with the model trained on reports and persons; new persons
    # against persons with the one trained on duplicate registrations.
    for batch, key in ((new_reports, "link"), (new_persons, "dedupe")):
        if persons and batch:
            engine = Engine(persons, model=_single(models.get(key)))
            proposed += candidates_propose(engine.pairs_new(batch, POSSIBLE), run=run)
    if new_persons:
        reports = report_records(MissingReport.objects.filter(status__in=OPEN).iterator())
        if reports:
            engine = Engine(reports, model=_single(models.get("link")))
            proposed += candidates_propose(engine.pairs_new(new_persons, POSSIBLE), run=run)
    MatchRun.objects.filter(pk=run.pk).update(proposed=proposed)


def _single(model: dict | None) -> dict | None:
    """A trained model used on one existing set: scored as within one set."""
    if model is None:
        return None
    return {**model, "link_type": "dedupe_only"}


def run_execute(run_id: str, report_ids: list[int], person_ids: list[int]) -> str:
    """Run a queued run: its status, progress, pairs proposed and one audit event."""
    run = MatchRun.objects.filter(pk=run_id).first()
    if run is None:  # removed since it was queued
        return MatchRun.Status.FAILED
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING,
                                              worker=process_mark(), started_at=timezone.now())
    try:
        if run.kind == MatchRun.Kind.FULL:
            _full(run)
        else:
            _new(run, report_ids, person_ids)
    except Exception as error:
        log.exception("matching run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        return MatchRun.Status.FAILED
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.DONE, percent=100,
                                              stage="", finished_at=timezone.now())
    run.refresh_from_db()
    # The run read survivors' identities: one event says how many, for whom it ran.
    event_record(action="match", actor=run.started_by,
                 actor_username=None if run.started_by else "system", object_type="match_run",
                 object_id=str(run.pk), section="linkage", queue=False,
                 reason=f"{run.kind}: {run.persons} persons, {run.reports} reports compared, "
                        f"{run.proposed} pairs proposed or updated")
    return MatchRun.Status.DONE


def _ids(pair: Pair) -> tuple[str, int, str, int]:
    return pair.left_id[0], int(pair.left_id[1:]), pair.right_id[0], int(pair.right_id[1:])


@transaction.atomic
def candidates_propose(pairs, *, run: MatchRun | None = None) -> int:
    """Store the engine's pairs as candidates. A pair a person already decided on is never
    proposed again (the decision stands); an open one gets the new score."""
    wanted: dict[tuple, Pair] = {}
    for pair in pairs:
        a_kind, a, b_kind, b = _ids(pair)
        if a_kind == b_kind == "p":
            if a == b:
                continue
            key = ("persons", None, min(a, b), max(a, b))
        else:
            report, person = (a, b) if a_kind == "r" else (b, a)
            key = ("report", report, person, None)
        if key not in wanted or wanted[key].probability < pair.probability:
            wanted[key] = pair
    if not wanted:
        return 0
    persons = sorted({k[2] for k in wanted})
    existing = {}
    for start in range(0, len(persons), CHUNK):  # SQLite caps the variables of one query
        for c in Candidate.objects.filter(person_id__in=persons[start:start + CHUNK]):
            existing[(c.kind, c.report_id, c.person_id, c.other_id)] = c
    fresh, refreshed = [], []
    for key, pair in wanted.items():
        evidence = [[name, level, round(weight, 3)] for name, level, weight in pair.evidence]
        candidate = existing.get(key)
        if candidate is None:
            fresh.append(Candidate(kind=key[0], report_id=key[1], person_id=key[2],
                                   other_id=key[3], probability=pair.probability,
                                   evidence=evidence, run=run))
        elif candidate.status in (Candidate.Status.OPEN, Candidate.Status.UNSURE):
            candidate.probability, candidate.evidence, candidate.run = (
                pair.probability, evidence, run)
            refreshed.append(candidate)
    # A run for new records may have proposed the same pair meanwhile: the first one stands.
    Candidate.objects.bulk_create(fresh, batch_size=2000, ignore_conflicts=True)
    Candidate.objects.bulk_update(refreshed, ["probability", "evidence", "run", "updated_at"],
                                  batch_size=2000)
    return len(fresh) + len(refreshed)
