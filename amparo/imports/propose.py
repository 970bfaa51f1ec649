"""`amparo import propose FILE`: read a workbook's headers and values and write a mapping a
person can check: headers matched to Amparo fields by their Spanish synonyms, values matched to
vocabulary codes by their labels, places to UBIGEO codes. Whatever it matched by closeness is
marked REVISAR; whatever it could not decide is left empty and marked SIN DECIDIR. It never
writes a guess without saying so."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from amparo.core.text import fold
from amparo.core.workbook import read
from amparo.imports.fields import FIELDS, SYNONYMS, header_key, is_known_header
from amparo.imports.options import Options
from amparo.imports.parsers import Places, Unreadable
from amparo.imports.reading import SEPARATORS

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
    sheet_offices: dict[str, str] = field(default_factory=dict)  # read from names and titles

    @property
    def key(self) -> list[str]:
        mapped = {d.target for d in self.columns.values() if d.target}
        if "case.legacy_number" in mapped:
            return ["case.legacy_number", "case.intake_date"]
        return ["person.document_number", "case.intake_date"]


def propose(source, *, name: str = "", office: str = "lima", sheets="*",
            header_row="auto") -> Proposal:
    """`source`: a path, or an upload's bytes with its file `name`."""
    found = read(source, name=name, sheets=sheets, header_row=header_row, known=is_known_header)
    proposal = Proposal(Path(name or source), office, [s.name for s in found], header_row)
    seen: dict[str, Counter] = {}
    lookups = Options()
    office_labels = lookups.labels(FIELDS["case.office"])
    for sheet in found:
        proposal.counts[sheet.name] = len(sheet.rows)
        own = _sheet_office(sheet, office_labels)
        if own:
            proposal.sheet_offices[sheet.name] = own
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
    if set(proposal.sheet_offices.values()) <= {office}:
        proposal.sheet_offices = {}  # every sheet is the office given: nothing to say
    for target, counter in seen.items():
        spec = FIELDS[target]
        places = lookups.places() if spec.kind == "place" else None
        options = lookups.labels(spec)
        aliased = lookups.aliased(spec)
        proposal.values[target] = {
            value: (_place(places, value) if spec.kind == "place"
                    else _several(value, options, aliased) if spec.many
                    else _value(value, options, aliased))
            for value, _n in counter.most_common(LISTED_VALUES)}
    return proposal


def _sheet_office(sheet, labels: dict[str, str]) -> str | None:
    """The office a sheet names, in its name ("Lima 2015") or the text above its headers
    ("Sede: Lima", "OFICINA CUSCO"); None when it names none, or more than one."""
    text = " " + " ".join(fold(t) for t in (sheet.name, *sheet.titles)) + " "
    text = re.sub(r"[^a-z0-9]+", " ", text)
    named = {code for label, code in labels.items()
             if len(label) >= 4 and f" {re.sub(r'[^a-z0-9]+', ' ', label).strip()} " in text}
    return named.pop() if len(named) == 1 else None


def _column(header: str) -> Decision:
    key = header_key(header)
    if key in SYNONYMS:
        return Decision(SYNONYMS[key])
    close = difflib.get_close_matches(key, list(SYNONYMS), n=1, cutoff=0.8)
    if close:
        return Decision(SYNONYMS[close[0]], f"REVISAR: se parece a «{close[0]}»")
    return Decision(None, "SIN DECIDIR: encabezado desconocido; elija un campo o déjelo vacío "
                          "(la columna no se importa)")


def _value(value: str, options: dict[str, str], aliased=frozenset()) -> Decision:
    text = fold(value)
    if text in aliased:  # a demonym, an ISO alpha-3 code, an abbreviation: still a guess
        label = max((k for k, v in options.items() if v == options[text] and k not in aliased),
                    key=len, default=options[text])  # its longest label: "venezuela", not "ve"
        return Decision(options[text], f"REVISAR: se lee como «{label}»")
    if text in options:
        return Decision(options[text])
    words = set(text.replace("-", " ").replace("/", " ").split())
    scored = []
    for label, code in options.items():
        # "laboral - minería" is "explotación laboral": every distinctive word of the label
        # is in the value. A guess must share one ("VEN" is never "VN", Viet Nam).
        distinctive = set(label.split()) - GENERIC
        if not words & distinctive:
            continue
        overlap = len(words & distinctive) / len(distinctive) if distinctive else 0
        scored.append((max(difflib.SequenceMatcher(None, text, label).ratio(), overlap), label,
                       code))
    if scored:
        score, label, code = max(scored)
        if score >= CLOSE:
            return Decision(code, f"REVISAR: se parece a «{label}»")
    return Decision(None, "SIN DECIDIR: ningún código se parece; elija uno o deje vacío")


def _several(value: str, options: dict[str, str], aliased) -> Decision:
    """A cell with several forms ("sexual y laboral", "laboral/sexual"): each part's code,
    in the cell's order; marked for review. One part unknown: nothing is proposed."""
    whole = _value(value, options, aliased)
    parts = [p for p in SEPARATORS.split(value) if p.strip()]
    if len(parts) < 2 or (whole.target and not whole.note):
        return whole
    decisions = [_value(part, options, aliased) for part in parts]
    if any(d.target is None for d in decisions):
        return Decision(None, "SIN DECIDIR: alguna parte no se parece a ningún código; "
                              "escriba la lista de códigos o deje vacío")
    codes = list(dict.fromkeys(d.target for d in decisions))
    return Decision(codes, "REVISAR: varias formas en una celda: " + ", ".join(codes))


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


DEFAULT_NOTES = {
    "case.arrival": "cómo llegó, para las filas que no lo dicen: fiscalia, policia, albergue, "
                    "familia, propia, linea, aliada u otra",
    "case.guardian_type": "quién respondía por ella si era menor: madre_padre, familiar, upe, "
                          "car u otro",
    "follow_up.channel": "cómo se hizo el último seguimiento: telefono, mensaje, video, visita "
                         "u oficina",
    "follow_up.reached": "si el último seguimiento logró contactarla: si o no",
    "case.closure_reason": "motivo de cierre de los casos cerrados: objetivos_cumplidos, "
                           "decision_propia, sin_contacto, derivada, traslado, fallecimiento "
                           "u otro",
}


def _defaults(proposal: Proposal) -> list[str]:
    """Required fields no column fills: a default a person must choose (or the rows that need
    it are rejected)."""
    mapped = {d.target for d in proposal.columns.values() if d.target}
    wanted = [t for t in DEFAULT_NOTES if t not in mapped]
    if "case.closure_reason" in wanted and not mapped & {"case.closed_on", "case.status"}:
        wanted.remove("case.closure_reason")
    if "follow_up.contacted_on" not in mapped:
        wanted = [t for t in wanted if not t.startswith("follow_up.")]
    lines = [f"  {t}: null   # SIN DECIDIR: {DEFAULT_NOTES[t]}" for t in wanted]
    dni = [h for h, d in proposal.columns.items()
           if d.target == "person.document_number" and "dni" in header_key(h).split()]
    if dni and "person.document_type" not in mapped:
        lines.append(f"  person.document_type: dni   # REVISAR: la columna se llama {_q(dni[0])}; "
                     "si tiene otros documentos, mapee una columna de tipo")
    return ["# Valores para las filas que dejan vacío el campo (null: esas filas se rechazan).",
            "defaults:" if lines else "defaults: {}", *lines]


def to_yaml(proposal: Proposal) -> str:
    review = sum(1 for d in proposal.columns.values() if d.note) + sum(
        1 for values in proposal.values.values() for d in values.values() if d.note)
    lines = [
        f"# Propuesta de Amparo para {_q(proposal.path.name)}: "
        + ", ".join(f"hoja {_q(n)} ({c} filas)" for n, c in proposal.counts.items()) + ".",
        f"# {review} decisiones por revisar (REVISAR, SIN DECIDIR). Vea docs/import.md.",
        f"office: {proposal.office}",
        *(["sheets:   # REVISAR: la oficina de cada hoja, leída de su nombre o de su título",
           *[f"  {_q(s)}: {proposal.sheet_offices.get(s, proposal.office)}"
             for s in proposal.sheets]]
          if proposal.sheet_offices else
          ["sheets: [" + ", ".join(_q(s) for s in proposal.sheets) + "]"]),
        f"header_row: {proposal.header_row}",
        "key: [" + ", ".join(proposal.key) + "]",
        "# Un valor que no corresponde a ningún código: reject (se rechaza la fila) o note (va a",
        "# una nota general del caso).",
        "unknown_values: reject",
        "# Usuario de quien queda como responsable de los casos; vacío: quien importa.",
        'worker: ""',
        "columns:",
    ]
    for header, decision in proposal.columns.items():
        lines.append(f"  {_q(header)}: {decision.target or 'null'}"
                     + (f"   # {decision.note}" if decision.note else ""))
    lines.extend(_defaults(proposal))
    lines.append("values:" if proposal.values else "values: {}")
    for target, values in proposal.values.items():
        lines.append(f"  {target}:")
        for value, decision in values.items():
            code = ("[" + ", ".join(_q(c) for c in decision.target) + "]"
                    if isinstance(decision.target, list) else
                    _q(decision.target) if decision.target else "null")
            lines.append(f"    {_q(value)}: {code}"
                         + (f"   # {decision.note}" if decision.note else ""))
    return "\n".join(lines) + "\n"
