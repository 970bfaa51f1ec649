"""Information requests under Ley 27806: ten working days (holidays do not count), an
extension the entity announces, and states worked out from the dates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from amparo.core.dates import holidays, is_working_day, working_days_after
from amparo.policy import selectors, services
from amparo.referrals.models import Institution

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_national_holidays():
    # Holy Thursday and Friday move with Easter (20 April 2025, 5 April 2026).
    assert {date(2025, 4, 17), date(2025, 4, 18), date(2025, 7, 28),
            date(2025, 12, 9)} <= holidays(2025)
    assert {date(2026, 4, 2), date(2026, 4, 3), date(2026, 6, 7), date(2026, 8, 6)} <= (
        holidays(2026))
    assert date(2021, 12, 9) not in holidays(2021)  # a holiday since 2022
    # Around Peru's holidays and weekends: Thursday 1 January 2026 is a holiday, Friday 2 is
    # not; Tuesday 8 and Wednesday 9 December 2026 both are.
    assert not is_working_day(date(2026, 1, 1)) and is_working_day(date(2026, 1, 2))
    assert working_days_after(date(2026, 12, 7), 2) == date(2026, 12, 11)
    assert working_days_after(date(2026, 4, 1), 1) == date(2026, 4, 6)  # over Easter
    # From Monday 21 July 2025, with 23, 28 and 29 July and 6 August holidays, the tenth
    # working day is Friday 8 August.
    assert working_days_after(date(2025, 7, 21), 10) == date(2025, 8, 8)
    assert working_days_after(date(2025, 3, 7), 5) == date(2025, 3, 14)


def test_a_request_is_due_ten_working_days_after_filing(ask):
    record = ask()
    assert record.code == "SAI-2025-0001" and record.due_on == date(2025, 8, 8)
    assert ask(sent_on=date(2025, 3, 3)).code == "SAI-2025-0002"


def test_states_follow_the_dates(ask, watchdog):
    record = ask()
    assert selectors.request_state(record, date(2025, 8, 8)) == "pendiente"
    assert selectors.request_state(record, date(2025, 8, 9)) == "vencida"
    extended = services.request_update(actor=watchdog, record=record, version=record.version,
                                       data={"extended_to": date(2025, 8, 20)})
    assert selectors.request_state(extended, date(2025, 8, 15)) == "pendiente"
    late = services.request_update(actor=watchdog, record=extended, data={
        "answered_on": date(2025, 8, 25), "completeness": "parcial"})
    assert selectors.request_state(late) == "tardia"
    on_time = services.request_update(actor=watchdog, record=late, data={
        "answered_on": date(2025, 8, 19)})
    assert selectors.request_state(on_time) == "respondida"


def test_an_answer_says_when_and_how_complete(ask, watchdog):
    record = ask()
    with pytest.raises(ValidationError, match="completeness"):
        services.request_update(actor=watchdog, record=record,
                                data={"answered_on": date(2025, 8, 1)})
    with pytest.raises(ValidationError, match="answered_on"):
        services.request_update(actor=watchdog, record=record,
                                data={"answered_on": date(2025, 7, 1), "completeness": "completa"})
    with pytest.raises(ValidationError, match="extended_to"):
        services.request_update(actor=watchdog, record=record,
                                data={"extended_to": date(2025, 8, 1)})
    with pytest.raises(ValidationError, match="sent_on"):
        services.reminder_add(actor=watchdog, record=record, sent_on=date(2025, 7, 1))


def test_the_register_puts_overdue_first_and_counts_entities_that_answered(
        ask, watchdog, edition):
    answered = ask(sent_on=date(2025, 5, 5))
    services.request_update(actor=watchdog, record=answered, data={
        "answered_on": date(2025, 5, 12), "completeness": "completa"})
    older = ask(sent_on=date(2025, 3, 3))
    newer = ask(sent_on=date(2025, 4, 1))
    region = Institution.objects.create(name="Gobierno Regional de Puno", kind="gobierno_regional",
                                        sector="estado", ubigeo="210101")
    ask(sent_on=date(2025, 4, 7), entity=region)
    rows = selectors.requests_register(edition=edition, today=date(2025, 9, 1))
    assert [r.code for r in rows[:2]] == [older.code, newer.code]  # longest overdue first
    assert rows[-1].code == answered.code and rows[0].days_late > 100
    result = selectors.answered(edition, today=date(2025, 9, 1))
    assert (result.entities, result.entities_answered, result.requests) == (2, 1, 4)
    assert result.entities_share == 50
