"""Where the apps above `cases` plug into it, so that `cases` never imports them: each app
registers in its AppConfig.ready(), and `cases` calls what is registered, explicitly, at the
point in its services or pages where it belongs (never through a model signal).

- an intake part: a fieldset another app adds to the intake form, saved with the new case in
  the same transaction (referrals: the institution that sent her to us);
- the alert source: what the case list filters and marks by (monitoring's open alerts);
- people changed: called after a person is registered or her identity corrected, once the
  transaction commits (linkage: match her against the reports and the other people);
- cases changed: called by every service that records something a monitoring rule reads (a
  follow-up, a service, a plan, a stage, a hearing, a referral's answer), once the transaction
  commits (monitoring: recompute the case's alerts at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class IntakePart:
    """`form(data)` is the fieldset's form and `template` draws it (as `part`); `save(cleaned,
    case=, actor=, request=)` records it once the case exists, or does nothing when empty."""

    name: str
    form: type
    template: str
    save: Callable[..., None]


@dataclass(frozen=True)
class AlertSource:
    """`open_alerts()`: pending alerts, each with `case`, `kind` and `severity` (3 = high);
    `kinds()`: the kinds, as choices, for the list's filter; `risk_page(user, case)`: where
    she assesses the risk after signs were recorded, or "" when she may not."""

    open_alerts: Callable
    kinds: Callable[[], list[tuple[str, str]]]
    risk_page: Callable[..., str] = lambda user, case: ""


INTAKE_PARTS: dict[str, IntakePart] = {}
ALERTS: list[AlertSource] = []  # at most one
PEOPLE_CHANGED: dict[str, Callable[[list[int]], None]] = {}
CASES_CHANGED: dict[str, Callable[[list[int]], None]] = {}


def intake_part_register(part: IntakePart) -> None:
    INTAKE_PARTS[part.name] = part


def alert_source_register(source: AlertSource) -> None:
    ALERTS[:] = [source]


def alert_source() -> AlertSource | None:
    return ALERTS[0] if ALERTS else None


def people_changed_register(name: str, listener: Callable[[list[int]], None]) -> None:
    PEOPLE_CHANGED[name] = listener


def people_changed(person_ids: list[int]) -> None:
    """Tell the listeners, after the commit (nothing is told of a write that rolled back)."""
    if not person_ids:
        return
    ids = sorted(set(person_ids))
    for listener in PEOPLE_CHANGED.values():
        transaction.on_commit(lambda listener=listener: listener(ids))


def cases_changed_register(name: str, listener: Callable[[list[int]], None]) -> None:
    CASES_CHANGED[name] = listener


def cases_changed(case_ids) -> None:
    """Tell the listeners, once the transaction commits, that these cases changed. A listener
    that fails is logged (robust): what was recorded stands, and the daily run catches up."""
    ids = sorted({int(pk) for pk in case_ids})
    if not ids:
        return
    for listener in CASES_CHANGED.values():
        transaction.on_commit(lambda listener=listener: listener(ids), robust=True)
