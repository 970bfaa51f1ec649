"""Load the offences table and the default deadline rules from legal/data/. Idempotent and
called with historical models from a data migration; an existing deadline rule keeps the days
someone edited."""

from __future__ import annotations

from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_offences(Offence, path: Path = DATA_DIR / "offences.yaml") -> int:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["offences"]
    for position, row in enumerate(rows):
        Offence.objects.update_or_create(article=str(row["article"]), defaults={
            "former_article": str(row.get("former", "")), "name_es": row["es"],
            "name_en": row["en"], "trafficking": not row.get("related", False),
            "position": position})
    return len(rows)


def load_deadline_rules(DeadlineRule, path: Path = DATA_DIR / "deadline_rules.yaml") -> int:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    created = 0
    for row in rows:
        _rule, made = DeadlineRule.objects.get_or_create(
            decision=row["decision"], action_es=row["es"], defaults={
                "action_en": row["en"], "days": row["days"],
                "legal_basis": row.get("basis", ""), "working_days": row.get("working", True)})
        created += made
    return created
