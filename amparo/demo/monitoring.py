"""Synthetic revictimisation-risk assessments: most survivors low, some medium, a few high,
repeated over time for open cases past registration."""

from __future__ import annotations

from datetime import timedelta

from amparo.crypto.envelope import context_for, seal_text
from amparo.monitoring.models import RiskAssessment
from amparo.monitoring.services import current_instrument

NOTES = ["", "", "Se revisó su plan de seguridad.", "Acordamos llamadas semanales.",
         "La familia apoya; seguir de cerca la escuela."]


def risk_seed(rng, cases, today) -> int:
    instrument = current_instrument()
    items = list(instrument.items.all())
    rows = []
    for case in cases:
        if case.status in ("registro", "cerrado") or rng.random() < 0.25:
            continue
        # A survivor's profile: how likely each item is for her.
        exposure = rng.choice([0.04, 0.08, 0.12, 0.2, 0.35])
        day = case.intake_date + timedelta(days=rng.randint(7, 40))
        while day <= today:
            chosen = [i for i in items
                      if rng.random() < exposure * (1.5 if not i.decisive else 0.15)]
            score = sum(i.weight for i in chosen)
            assessment = RiskAssessment(
                case=case, data_key=case.data_key, instrument=instrument, assessed_on=day,
                answers=[i.code for i in chosen], score=score,
                level=instrument.level_for(score, any(i.decisive for i in chosen)),
                assessed_by=case.psychologist or case.worker)
            assessment.notes_sealed = seal_text(case.data_key, rng.choice(NOTES),
                                                context_for(assessment, "notes"))
            rows.append(assessment)
            day += timedelta(days=rng.randint(60, 200))
    RiskAssessment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
