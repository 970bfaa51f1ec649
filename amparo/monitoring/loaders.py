"""Load the default alert rules and the first risk instrument from monitoring/data/.
Idempotent and called with historical models from a data migration: a rule or an instrument
that exists keeps what an admin edited."""

from __future__ import annotations

from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
RULE_PARAMS = ("days", "days_minor", "first_days", "urgent_days", "count", "level")


def load_alert_rules(AlertRule, path: Path = DATA_DIR / "alert_rules.yaml") -> int:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    created = 0
    for position, row in enumerate(rows):
        params = {name: row.get(name, "" if name == "level" else None) for name in RULE_PARAMS}
        _rule, made = AlertRule.objects.get_or_create(kind=row["kind"], defaults={
            **params, "severity": row["severity"], "notify": row["notify"],
            "explanation_es": row["es"], "explanation_en": row["en"], "position": position})
        created += made
    return created


def load_risk_instrument(RiskInstrument, RiskItem,
                         path: Path = DATA_DIR / "risk_instrument.yaml") -> bool:
    if RiskInstrument.objects.exists():
        return False
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    instrument = RiskInstrument.objects.create(
        version=1, medium_from=data["medium_from"], high_from=data["high_from"],
        note="Versión inicial")
    RiskItem.objects.bulk_create([
        RiskItem(instrument=instrument, code=row["code"], text_es=row["es"], text_en=row["en"],
                 weight=row["weight"], decisive=row.get("decisive", False), position=position)
        for position, row in enumerate(data["items"])])
    return True
