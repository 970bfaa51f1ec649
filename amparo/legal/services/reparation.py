"""The sentence and the civil reparation it orders: what was ordered, what was paid, what is
still owed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.cases.guards import case_event, check_not_future
from amparo.cases.models import Case
from amparo.legal import choices, procedure
from amparo.legal.models import (
    Defendant,
    Payment,
    Proceeding,
    Sentence,
    Step,
)
from amparo.legal.services.common import (
    legal_editable,
)


@transaction.atomic
def sentence_record(*, actor: User, request=None, case: Case, step: Step,
                    defendant: Defendant | None, penalty: str, prison_years: Decimal | None,
                    fine_days: int | None, disqualification: str, reparation: Decimal,
                    final_on: date | None) -> Sentence:
    legal_editable(actor, case)
    if step.proceeding.case_id != case.pk:
        raise PermissionDenied
    if step.decision not in procedure.SENTENCING:
        raise ValidationError(_("A sentence is recorded with a judgment that convicts."))
    if defendant is not None and defendant.proceeding_id != step.proceeding_id:
        raise ValidationError({"defendant": _("The defendant must belong to this proceeding.")})
    if penalty not in choices.PenaltyKind.values:
        raise ValidationError({"penalty": _("Say whether the penalty is custodial, suspended or "
                                            "life imprisonment.")})
    if penalty == choices.PenaltyKind.LIFE:
        prison_years = None
    elif prison_years is None or not Decimal("0.1") <= prison_years <= Decimal(35):
        raise ValidationError({"prison_years": _("Write the years of prison, from 0.1 to 35.")})
    if reparation is None or reparation < 0:
        raise ValidationError({"reparation": _(
            "Write the civil reparation ordered in soles (0 if none was ordered).")})
    check_not_future(final_on, "final_on")
    if final_on and final_on < step.taken_on:
        raise ValidationError({"final_on": _("A judgment becomes final after it is issued.")})
    sentence = Sentence.objects.create(
        step=step, defendant=defendant, penalty=penalty, prison_years=prison_years,
        fine_days=fine_days, disqualification=disqualification.strip(),
        reparation=reparation, final_on=final_on, recorded_by=actor)
    if defendant is not None:
        Defendant.objects.filter(pk=defendant.pk).update(
            situation=choices.DefendantSituation.CONVICTED)
    case_event(request, actor, "create", case, "legal", reason=f"sentence in {step.proceeding_id}")
    return sentence


def sentences_in_force(proceeding: Proceeding) -> list[Sentence]:
    """The latest sentence for each defendant (an appeal's replaces the first instance's)."""
    latest: dict = {}
    for sentence in (Sentence.objects.filter(step__proceeding=proceeding)
                     .select_related("step", "defendant").order_by("step__taken_on", "id")):
        latest[sentence.defendant_id] = sentence
    return list(latest.values())


def reparation_balance(proceeding: Proceeding) -> tuple[Decimal, Decimal, Decimal]:
    """(ordered, paid, owed) in soles."""
    ordered = sum((s.reparation for s in sentences_in_force(proceeding)), Decimal(0))
    paid = proceeding.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return ordered, paid, max(ordered - paid, Decimal(0))


@transaction.atomic
def payment_record(*, actor: User, request=None, case: Case, proceeding: Proceeding,
                   paid_on: date, amount: Decimal, receipt: str = "") -> Payment:
    legal_editable(actor, case)
    record = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    if record.case_id != case.pk:
        raise PermissionDenied
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Write the amount received, in soles.")})
    check_not_future(paid_on, "paid_on")
    ordered, _paid, owed = reparation_balance(record)
    if ordered <= 0:
        raise ValidationError({"amount": _(
            "No civil reparation is recorded for this proceeding. Record the sentence that "
            "ordered it first.")})
    if amount > owed:
        raise ValidationError({"amount": _(
            "This payment is more than what is still owed (S/ %(owed)s). Check the amount.")
            % {"owed": f"{owed:,.2f}"}})
    payment = Payment.objects.create(proceeding=record, paid_on=paid_on, amount=amount,
                                     receipt=receipt.strip(), recorded_by=actor)
    case_event(request, actor, "create", case, "legal", reason=f"payment in {record.pk}")
    return payment
