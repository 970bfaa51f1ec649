"""The demo's results: the example donor framework and the internal one, their values computed
from the demo records for the periods already over (the earliest approved and locked, as a
donor report would have left them), and a manual value with its evidence."""

from __future__ import annotations

from django.utils import timezone

from amparo.accounts.models import User
from amparo.results import services
from amparo.results.choices import Status
from amparo.results.models import Framework
from amparo.results.periods import framework_periods


def results_seed() -> int:
    """The frameworks it loaded (none when the demo already has them)."""
    if Framework.objects.exists():
        return 0
    director = User.objects.filter(role_assignments__role="director").first()
    if director is None:
        return 0
    frameworks = [services.framework_load(services.DATA / name)
                  for name in ("donante-ctip.yaml", "interno.yaml")]
    today = timezone.localdate()
    donor = frameworks[0]
    for period in framework_periods(donor):
        if period.end >= today:
            break
        for indicator in donor.indicators.all():
            if indicator.computed:
                value = services.value_compute(actor=director, indicator=indicator,
                                               period=period)
            elif period.label == "2024-S1":
                value = services.value_enter(
                    actor=director, indicator=indicator, period=period, value="3600000",
                    evidence="Acuerdos de consejo regional de Loreto, Cusco y Madre de Dios "
                             "(ficticios)")
            else:
                continue
            if period.end.year <= 2022:  # reported, approved and locked
                for step in (Status.SUBMITTED, Status.APPROVED, Status.LOCKED):
                    value = services.value_decide(actor=director, value=value, decision=step)
    return len(frameworks)
