"""Load reference data from the files under reference/data/.

Both loaders are idempotent and take the model classes as arguments, so that a data migration
can call them with its historical models. They never delete: a district or a term missing from a
newer file is kept (terms are retired), because stored records may point to it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
UBIGEO_CSV = DATA_DIR / "ubigeo.csv"
VOCABULARY_DIR = DATA_DIR / "vocabularies"


class ReferenceDataError(ValueError):
    """A reference data file is malformed; the message names the file and the entry."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    retired: int = 0


def load_ubigeo(Department, Province, District, path: Path = UBIGEO_CSV) -> LoadResult:
    departments: dict[str, str] = {}
    provinces: dict[str, tuple[str, str]] = {}
    districts: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = row["ubigeo"].strip()
            if len(code) != 6 or not code.isdigit():
                raise ReferenceDataError(f"{path.name}, line {line}: '{code}' is not a UBIGEO.")
            departments[code[:2]] = row["departamento"].strip()
            provinces[code[:4]] = (row["provincia"].strip(), code[:2])
            districts[code] = (row["distrito"].strip(), code[:4])

    result = LoadResult()
    _upsert(Department, {c: {"name": n} for c, n in departments.items()}, result)
    _upsert(
        Province, {c: {"name": n, "department_id": d} for c, (n, d) in provinces.items()}, result
    )
    _upsert(
        District, {c: {"name": n, "province_id": p} for c, (n, p) in districts.items()}, result
    )
    return result


def _upsert(Model, rows: dict[str, dict], result: LoadResult) -> None:
    existing = {obj.pk: obj for obj in Model.objects.all()}
    new, changed = [], []
    for code, fields in rows.items():
        obj = existing.get(code)
        if obj is None:
            new.append(Model(pk=code, **fields))
        elif any(getattr(obj, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(obj, k, v)
            changed.append(obj)
    Model.objects.bulk_create(new, batch_size=500)
    if changed:
        Model.objects.bulk_update(changed, list(next(iter(rows.values())).keys()), batch_size=500)
    result.created += len(new)
    result.updated += len(changed)


def read_vocabulary_file(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    for key in ("code", "version", "name", "terms"):
        if key not in data:
            raise ReferenceDataError(f"{where}: the key '{key}' is missing.")
    seen = set()
    for index, term in enumerate(data["terms"], start=1):
        for key in ("code", "es", "en"):
            if not isinstance(term.get(key), str) or not term[key].strip():
                raise ReferenceDataError(
                    f"{where}, term {index}: '{key}' must be a non-empty text "
                    "(quote codes such as \"NO\" that YAML reads as yes/no)."
                )
        if term["code"] in seen:
            raise ReferenceDataError(f"{where}: the code '{term['code']}' appears twice.")
        seen.add(term["code"])
    return data


def load_vocabularies(Vocabulary, Term, directory: Path = VOCABULARY_DIR) -> LoadResult:
    result = LoadResult()
    for path in sorted(directory.glob("*.yaml")):
        data = read_vocabulary_file(path)
        version = int(data["version"])
        vocabulary, created = Vocabulary.objects.get_or_create(
            code=data["code"],
            defaults={
                "name_es": data["name"]["es"],
                "name_en": data["name"]["en"],
                "source": data.get("source", ""),
                "version": version,
            },
        )
        if not created:
            if version < vocabulary.version:
                raise ReferenceDataError(
                    f"{path.name}: version {version} is older than the stored version "
                    f"{vocabulary.version}; raise the version when you change a vocabulary."
                )
            vocabulary.name_es = data["name"]["es"]
            vocabulary.name_en = data["name"]["en"]
            vocabulary.source = data.get("source", "")
            vocabulary.version = version
            vocabulary.save()
        _load_terms(Term, vocabulary, data["terms"], version, result)
    return result


def _load_terms(Term, vocabulary, terms: list[dict], version: int, result: LoadResult) -> None:
    existing = {t.code: t for t in Term.objects.filter(vocabulary=vocabulary)}
    for position, item in enumerate(terms, start=1):
        fields = {
            "label_es": item["es"].strip(),
            "label_en": item["en"].strip(),
            "standard_code": item.get("std", "") or "",
            "parent_code": item.get("parent", "") or "",
            "position": position,
            "active": True,
            "retired_in_version": None,
        }
        term = existing.pop(item["code"], None)
        if term is None:
            Term.objects.create(
                vocabulary=vocabulary, code=item["code"], since_version=version, **fields
            )
            result.created += 1
        elif any(getattr(term, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(term, k, v)
            term.save()
            result.updated += 1
    for term in existing.values():
        if term.active:
            term.active = False
            term.retired_in_version = version
            term.save()
            result.retired += 1
