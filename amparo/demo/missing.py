"""Fictitious missing-person alerts for the demo, as a month of police alerts would list them:
most about girls and women the organisation never met, some about survivors it registered
(written the way an alert writes them: upper case, no accents, an age instead of a birth date,
the second surname missing, a Quechua surname spelt another way, now and then swapped).

`amparo seed` imports one month and runs the matching, so the review queue has pairs to decide
on; it writes the next month as a file to upload (menu Coincidencias → Reportes)."""

from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone

from amparo.cases.models import Identity
from amparo.demo import synthetic as syn
from amparo.linkage.reports import COLUMNS

# How an alert may write a surname of the region (the demo's own list, not the engine's).
RESPELL = [("hua", "gua"), ("qu", "k"), ("cc", "c"), ("pe", "pi"), ("y", "i"), ("ll", "y")]
DEPARTMENTS = ["15", "16", "08", "21", "17", "04", "25", "12", "13", "14", "20"]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).upper()


def _respell(rng: random.Random, name: str) -> str:
    lower = name.lower()
    rules = [(a, b) for a, b in RESPELL if a in lower]
    if not rules or rng.random() < 0.6:
        return name
    a, b = rng.choice(rules)
    return lower.replace(a, b, 1).title()


def _about(rng: random.Random, identity: Identity, missing_on: date) -> dict:
    paternal = _respell(rng, identity.paternal_surname)
    maternal = "" if rng.random() < 0.25 else identity.maternal_surname
    if maternal and rng.random() < 0.08:
        paternal, maternal = maternal, paternal
    given = identity.given_names.split()[0] if rng.random() < 0.4 else identity.given_names
    age = ""
    if identity.birth_date:
        age = str(missing_on.year - identity.birth_date.year
                  - ((missing_on.month, missing_on.day)
                     < (identity.birth_date.month, identity.birth_date.day)))
    return {"given_names": _plain(given), "paternal_surname": _plain(paternal),
            "maternal_surname": _plain(maternal), "sex": "F", "birth_date": "", "age": age,
            "document_type": "", "document_number": "",
            "department": (identity.origin_ubigeo or "")[:2]}


def _stranger(rng: random.Random, missing_on: date) -> dict:
    pool = syn.SURNAMES[rng.choice(list(syn.SURNAMES))]
    given = rng.choice(syn.GIVEN_VE if rng.random() < 0.2 else syn.GIVEN_PE)
    return {"given_names": _plain(given), "paternal_surname": _plain(rng.choice(pool)),
            "maternal_surname": _plain(rng.choice(pool)) if rng.random() < 0.8 else "",
            "sex": "F", "birth_date": "", "age": str(rng.randint(12, 24)), "document_type": "",
            "document_number": "", "department": rng.choice(DEPARTMENTS)}


def missing_alerts(path: Path, *, month: date, count: int = 120, known: int = 12,
                   seed: int = 11) -> Path:
    """Write a CSV of `count` alerts of the month, `known` of them about registered persons."""
    rng = random.Random(seed + month.toordinal())
    today = timezone.localdate()
    identities = list(Identity.objects.exclude(paternal_surname="").order_by("pk")[:3000])
    chosen = rng.sample(identities, min(known, len(identities)))
    rows = []
    for n in range(count):
        missing_on = min(month + timedelta(days=rng.randint(0, 27)), today)
        values = (_about(rng, chosen[n], missing_on) if n < len(chosen)
                  else _stranger(rng, missing_on))
        district = ""
        if values["department"] and rng.random() < 0.5:
            district = values["department"] + "0101"
        rows.append({"report_number": f"NA-{month:%Y%m}-{n + 1:04d}", **values,
                     "district": district, "missing_on": missing_on.isoformat()})
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
