"""Reads of the watchdog's records: the request register with its states worked out from the
dates, an edition's summary (services with and without budget, requests answered, regions with
instruments), and each service across editions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.policy import choices
from amparo.policy.models import (
    AnswerDocument,
    ChapterText,
    Edition,
    Evidence,
    Guideline,
    Indicator,
    InformationRequest,
    Instrument,
    RegionalInstrument,
    Service,
)
from amparo.reference.selectors import department_names

IMPLEMENTATION_ORDER = [choices.Implementation.NO_INFORMATION, choices.Implementation.NOT_STARTED,
                        choices.Implementation.IN_PROGRESS, choices.Implementation.IMPLEMENTED]


def services_of(instrument, *, edition: Edition | None = None, axis: str = "",
                to_complete: bool = False) -> QuerySet[Service]:
    """A policy's services in order, on one report axis or those still to complete; with an
    edition, each with how many pieces of evidence it has there (`found`)."""
    if instrument is None:
        return Service.objects.none()
    rows = Service.objects.filter(instrument=instrument).select_related("guideline__objective")
    if axis in choices.Axis.values:
        rows = rows.filter(axis=axis)
    if to_complete:
        rows = rows.filter(known=False)
    if edition is not None:
        rows = rows.annotate(found=Count("evidence", filter=Q(evidence__edition=edition)))
    return rows.order_by("number")


def request_state(record: InformationRequest, today: date | None = None) -> str:
    """Pending, overdue, answered on time or late: from the dates, never typed."""
    today = today or timezone.localdate()
    if record.answered_on:
        return (choices.RequestState.LATE if record.answered_on > record.deadline
                else choices.RequestState.ANSWERED)
    return choices.RequestState.OVERDUE if today > record.deadline else (
        choices.RequestState.PENDING)


STATE_ORDER = {choices.RequestState.OVERDUE: 0, choices.RequestState.PENDING: 1,
               choices.RequestState.LATE: 2, choices.RequestState.ANSWERED: 3}


def requests_register(*, edition: Edition | None = None, state: str = "",
                      today: date | None = None) -> list[InformationRequest]:
    """The requests, overdue first (the longest overdue at the top), then those waiting by
    deadline, then the answered; each with `.state` and `.days_late`."""
    today = today or timezone.localdate()
    rows = InformationRequest.objects.select_related("entity", "edition").prefetch_related(
        "reminders")
    if edition is not None:
        rows = rows.filter(edition=edition)
    out = []
    for record in rows:
        record.state = request_state(record, today)
        end = record.answered_on or today
        record.days_late = max(0, (end - record.deadline).days)
        if not state or record.state == state:
            out.append(record)
    out.sort(key=lambda r: (STATE_ORDER[r.state], r.deadline if r.state in (
        choices.RequestState.OVERDUE, choices.RequestState.PENDING) else date.max - (
        r.answered_on or r.deadline), r.code))
    return out


@dataclass
class Answered:
    """How entities answered in an edition: the figure the report cites."""

    requests: int = 0
    by_state: dict = field(default_factory=dict)
    by_completeness: dict = field(default_factory=dict)
    entities: int = 0
    entities_answered: int = 0  # answered at least one request, on time or late

    @property
    def entities_share(self) -> Decimal | None:
        return None if not self.entities else Decimal(self.entities_answered * 100
                                                      / self.entities)


def answered(edition: Edition, today: date | None = None) -> Answered:
    rows = requests_register(edition=edition, today=today)
    result = Answered(requests=len(rows))
    entities, answering = set(), set()
    for record in rows:
        result.by_state[record.state] = result.by_state.get(record.state, 0) + 1
        if record.completeness:
            result.by_completeness[record.completeness] = result.by_completeness.get(
                record.completeness, 0) + 1
        entities.add(record.entity_id)
        if record.answered_on:
            answering.add(record.entity_id)
    result.entities, result.entities_answered = len(entities), len(answering)
    return result


BUDGET_WITH, BUDGET_WITHOUT, BUDGET_UNKNOWN = "con", "sin", "sin_informacion"


@dataclass
class ServiceState:
    """One service in one edition: its budget over the period, its furthest implementation,
    and what the team assessed."""

    service: Service
    evidence: list = field(default_factory=list)
    assigned: Decimal = Decimal(0)
    executed: Decimal = Decimal(0)
    budget: str = BUDGET_UNKNOWN
    implementation: str = choices.Implementation.NO_INFORMATION
    assessment: str = ""
    sources: int = 0

    @property
    def get_implementation_label(self) -> str:
        return choices.Implementation(self.implementation).label

    @property
    def execution_share(self) -> Decimal | None:
        return None if not self.assigned else self.executed * 100 / self.assigned


def service_states(edition: Edition) -> list[ServiceState]:
    """Every service of the edition's policy with what the evidence says. A service counts as
    with budget when any year or region had an amount assigned; as without budget when the
    evidence says nothing was assigned (zero, or a figure asked for and not given); without
    information when nothing was found at all."""
    evidence = Evidence.objects.filter(edition=edition).prefetch_related("sources")
    services = Service.objects.filter(instrument=edition.instrument).select_related(
        "guideline__objective").prefetch_related(Prefetch("evidence", queryset=evidence,
                                                          to_attr="found"))
    out = []
    for service in services:
        state = ServiceState(service, evidence=service.found)
        for item in service.found:
            state.sources += len(item.sources.all())
            if item.budget_assigned is not None:
                state.assigned += item.budget_assigned
                state.budget = BUDGET_WITH if state.assigned > 0 else (
                    state.budget if state.budget == BUDGET_WITH else BUDGET_WITHOUT)
            if item.budget_executed is not None:
                state.executed += item.budget_executed
            if IMPLEMENTATION_ORDER.index(item.implementation) > IMPLEMENTATION_ORDER.index(
                    state.implementation):
                state.implementation = item.implementation
            state.assessment = item.assessment or state.assessment
        out.append(state)
    return out


@dataclass
class Summary:
    edition: Edition
    states: list[ServiceState]
    answered: Answered
    instruments: dict  # department code → instruments with anti-trafficking objectives

    @property
    def services(self) -> int:
        return len(self.states)

    def count(self, budget: str) -> int:
        return sum(1 for s in self.states if s.budget == budget)

    @property
    def with_evidence(self) -> int:
        return sum(1 for s in self.states if s.evidence)

    @property
    def without_budget_share(self) -> Decimal | None:
        known = self.count(BUDGET_WITH) + self.count(BUDGET_WITHOUT)
        return None if not known else Decimal(self.count(BUDGET_WITHOUT) * 100 / known)


def summary(edition: Edition, today: date | None = None) -> Summary:
    return Summary(edition, service_states(edition), answered(edition, today),
                   instruments_by_department(edition))


def instruments_in_force(edition: Edition | None = None) -> QuerySet[RegionalInstrument]:
    """Instruments in force during the edition's period (or any time, without one)."""
    rows = RegionalInstrument.objects.all()
    if edition is not None:
        rows = rows.exclude(ends__lt=edition.first_year).exclude(starts__gt=edition.last_year)
    return rows


def instruments_by_department(edition: Edition | None = None) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for department in instruments_in_force(edition).filter(has_objectives=True).values_list(
            "department", flat=True):
        counts[department] += 1
    return dict(counts)


@dataclass
class Compared:
    service: Service
    by_edition: dict  # edition code → ServiceState


def comparison(editions: list[Edition]) -> list[Compared]:
    """Each service of the editions' policy with its state in each edition, side by side.
    Editions of another policy (the PNAT) have no services in common and show empty."""
    rows: dict[int, Compared] = {}
    for edition in editions:
        for state in service_states(edition):
            rows.setdefault(state.service.pk, Compared(state.service, {}))
            rows[state.service.pk].by_edition[edition.code] = state
    return sorted(rows.values(), key=lambda c: (c.service.instrument_id, c.service.number))


# What the pages open by their address; a code or number that names nothing is a 404.

def editions() -> QuerySet[Edition]:
    return Edition.objects.select_related("instrument")


def edition_chosen(code: str | None) -> Edition | None:
    """The edition named in the page's address, or the latest."""
    return get_object_or_404(editions(), code=code) if code else editions().first()


def edition_for(code: str) -> Edition:
    return get_object_or_404(editions(), code=code)


def editions_of(instrument) -> list[Edition]:
    return list(Edition.objects.filter(instrument=instrument).order_by("first_year"))


def instrument_latest() -> Instrument | None:
    return Instrument.objects.first()


def instruments_exist() -> bool:
    return Instrument.objects.exists()


def chapter_texts(edition: Edition | None) -> dict[str, str]:
    if edition is None:
        return {}
    return dict(ChapterText.objects.filter(edition=edition).values_list("chapter", "text"))


def structure_of(instrument: Instrument) -> QuerySet:
    """The policy's objectives with their guidelines and indicators (and each one's service)."""
    return instrument.objectives.prefetch_related(
        "guidelines", Prefetch("indicators", queryset=Indicator.objects.select_related(
            "service")))


def guideline_for(instrument: Instrument, pk: int) -> Guideline:
    return get_object_or_404(Guideline, pk=pk, objective__instrument=instrument)


def indicator_for(instrument: Instrument, pk: int) -> Indicator:
    return get_object_or_404(Indicator, pk=pk, objective__instrument=instrument)


def regional_instruments(department: str = "") -> QuerySet[RegionalInstrument]:
    """The regional instruments, of one department or all."""
    rows = RegionalInstrument.objects.all()
    return rows.filter(department=department) if department else rows


def regional_instrument_for(pk: int) -> RegionalInstrument:
    return get_object_or_404(RegionalInstrument, pk=pk)


def service_for(pk: int) -> Service:
    return get_object_or_404(Service.objects.select_related("guideline__objective",
                                                            "instrument"), pk=pk)


def evidence_of(edition: Edition, service: Service) -> list[Evidence]:
    """A service's evidence for one edition, with its sources and its department's name."""
    rows = list(Evidence.objects.filter(edition=edition, service=service)
                .prefetch_related("sources"))
    names = department_names() if rows else {}
    for item in rows:
        item.department_name = names.get(item.department, item.department)
    return rows


def evidence_one(service: Service, pk) -> Evidence:
    return get_object_or_404(Evidence, pk=pk, service=service)


def request_for(code: str) -> InformationRequest:
    return get_object_or_404(InformationRequest.objects.select_related("entity", "edition"),
                             code=code)


def answer_document_for(code: str, pk) -> AnswerDocument:
    return get_object_or_404(AnswerDocument.objects.select_related("request", "data_key"),
                             pk=pk, request__code=code)


def services_filtered(*, instrument: str = "", objective: str = "", guideline: str = "",
                      provider: str = "", axis: str = "") -> QuerySet[Service]:
    """The API's services: of one policy (the latest without `instrument`), narrowed by
    objective, guideline, part of the provider's name or report axis."""
    rows = Service.objects.select_related("instrument", "guideline__objective")
    if instrument:
        rows = rows.filter(instrument__code=instrument)
    else:
        rows = rows.filter(instrument=Instrument.objects.order_by("-starts").first())
    if objective:
        rows = rows.filter(guideline__objective__code=objective)
    if guideline:
        rows = rows.filter(guideline__code=guideline)
    if provider:
        rows = rows.filter(provider__icontains=provider)
    if axis:
        rows = rows.filter(axis=axis)
    return rows.order_by("number")
