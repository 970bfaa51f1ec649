"""`amparo import propose FILE`: read a workbook's headers and values and write a mapping a
person can check: headers matched to Amparo fields by their Spanish synonyms, values matched to
vocabulary codes by their labels, places to UBIGEO codes. Whatever it matched by closeness is
marked REVISAR; whatever it could not decide is left empty and marked SIN DECIDIR. It never
writes a guess without saying so."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from amparo.cases import choices as case_choices
from amparo.cases.text import fold
from amparo.imports.fields import FIELDS, SYNONYMS, header_key
from amparo.imports.parsers import Places, Unreadable
from amparo.imports.workbook import read

LISTED_VALUES = 200
CLOSE = 0.8
GENERIC = {"explotacion", "de", "del", "la", "el", "los", "las", "y", "o", "en", "otra", "otras",
           "otro", "otros", "forma", "formas", "tipo"}


@dataclass
class Decision:
    target: str | None
    note: str = ""  # "" decided; "REVISAR: …" close match; "SIN DECIDIR: …" none


@dataclass
class Proposal:
    path: Path
    office: str
    sheets: list[str]
    header_row: str | int
    columns: dict[str, Decision] = field(default_factory=dict)
    values: dict[str, dict[str, Decision]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> list[str]:
        mapped = {d.target for d in self.columns.values() if d.target}
        if "case.legacy_number" in mapped:
            return ["case.legacy_number", "case.intake_date"]
        return ["person.document_number", "case.intake_date"]


def propose(path, *, office: str = "lima", sheets="*", header_row="auto") -> Proposal:
    found = read(path, sheets=sheets, header_row=header_row)
    proposal = Proposal(Path(path), office, [s.name for s in found], header_row)
    seen: dict[str, Counter] = {}
    for sheet in found:
        proposal.counts[sheet.name] = len(sheet.rows)
        for column, header in enumerate(sheet.headers):
            if not header or header in proposal.columns:
                decision = proposal.columns.get(header)
            else:
                decision = proposal.columns[header] = _column(header)
            if decision is None or decision.target is None:
                continue
            kind = FIELDS[decision.target].kind
            if kind in ("vocab", "choice", "place", "office"):
                counter = seen.setdefault(decision.target, Counter())
                counter.update(str(row[column]).strip() for _n, row in sheet.rows
                               if row[column] not in (None, ""))
    places = None
    for target, counter in seen.items():
        spec = FIELDS[target]
        if spec.kind == "place" and places is None:
            places = Places.load()
        options = _options(spec)
        proposal.values[target] = {
            value: (_place(places, value) if spec.kind == "place" else _value(value, options))
            for value, _n in counter.most_common(LISTED_VALUES)}
    return proposal


def _column(header: str) -> Decision:
    key = header_key(header)
    if key in SYNONYMS:
        return Decision(SYNONYMS[key])
    close = difflib.get_close_matches(key, list(SYNONYMS), n=1, cutoff=0.8)
    if close:
        return Decision(SYNONYMS[close[0]], f"REVISAR: se parece a «{close[0]}»")
    return Decision(None, "SIN DECIDIR: encabezado desconocido; elija un campo o déjelo vacío "
                          "(la columna no se importa)")


def _options(spec) -> dict[str, str]:
    """Folded label or code → code, for the field's vocabulary."""
    if spec.kind == "vocab":
        from amparo.reference.models import Term

        options = {}
        for code, es, en in Term.objects.filter(vocabulary__code=spec.vocabulary).values_list(
                "code", "label_es", "label_en"):
            for text in (code.replace("_", " "), es, en):
                options.setdefault(fold(text), code)
        return options
    if spec.kind == "choice":
        enum = getattr(case_choices, spec.choices)
        return {fold(str(label)): value for value, label in enum.choices} | {
            fold(value.replace("_", " ")): value for value in enum.values}
    if spec.kind == "office":
        from amparo.accounts.models import Office

        return {fold(name): code for code, name in Office.objects.values_list("code", "name")} | {
            fold(code): code for code in Office.objects.values_list("code", flat=True)}
    return {}


def _value(value: str, options: dict[str, str]) -> Decision:
    text = fold(value)
    if text in options:
        return Decision(options[text])
    words = set(text.replace("-", " ").replace("/", " ").split())
    scored = []
    for label, code in options.items():
        # "laboral - minería" is "explotación laboral": every distinctive word of the label
        # is in the value.
        distinctive = set(label.split()) - GENERIC
        overlap = len(words & distinctive) / len(distinctive) if distinctive else 0
        scored.append((max(difflib.SequenceMatcher(None, text, label).ratio(), overlap), label,
                       code))
    if scored:
        score, label, code = max(scored)
        if score >= CLOSE:
            return Decision(code, f"REVISAR: se parece a «{label}»")
    return Decision(None, "SIN DECIDIR: ningún código se parece; elija uno o deje vacío")


def _place(places: Places, value: str) -> Decision:
    try:
        place = places.match(value)
    except Unreadable:
        return Decision(None, "SIN DECIDIR: no es un lugar conocido; escriba su código UBIGEO")
    if place is None:
        return Decision(None, "SIN DECIDIR: vacío")
    return Decision(place.code, "" if place.exact else f"REVISAR: se parece a «{place.name}»")


def _q(text) -> str:
    return json.dumps(str(text), ensure_ascii=False)  # a double-quoted YAML scalar


def to_yaml(proposal: Proposal) -> str:
    review = sum(1 for d in proposal.columns.values() if d.note) + sum(
        1 for values in proposal.values.values() for d in values.values() if d.note)
    lines = [
        f"# Propuesta de Amparo para {_q(proposal.path.name)}: "
        + ", ".join(f"hoja {_q(n)} ({c} filas)" for n, c in proposal.counts.items()) + ".",
        f"# {review} decisiones por revisar (REVISAR, SIN DECIDIR). Vea docs/import.md.",
        f"office: {proposal.office}",
        "sheets: [" + ", ".join(_q(s) for s in proposal.sheets) + "]",
        f"header_row: {proposal.header_row}",
        "key: [" + ", ".join(proposal.key) + "]",
        "# Un valor que no corresponde a ningún código: reject (se rechaza la fila) o note (va a",
        "# una nota general del caso).",
        "unknown_values: reject",
        "columns:",
    ]
    for header, decision in proposal.columns.items():
        lines.append(f"  {_q(header)}: {decision.target or 'null'}"
                     + (f"   # {decision.note}" if decision.note else ""))
    lines.append("values:" if proposal.values else "values: {}")
    for target, values in proposal.values.items():
        lines.append(f"  {target}:")
        for value, decision in values.items():
            lines.append(f"    {_q(value)}: {_q(decision.target) if decision.target else 'null'}"
                         + (f"   # {decision.note}" if decision.note else ""))
    return "\n".join(lines) + "\n"
