"""A study's record-level extract in the form of CTDC's k-anonymised dataset (IOM's Counter
Trafficking Data Collaborative): one row per case, the standard's column names and values
(from the vocabularies' HTCDS codes), year of registration only, age bands, department of
origin (never a district), a research id made for the study, and nothing that names anyone.

Then k-anonymity on the quasi-identifiers, which are every column but the research id (sex,
age band and minor or adult, nationality, department, country of exploitation, year, form of
exploitation, and whatever a court's public judgment also holds: conviction, stage reached,
civil party, reparation, means of control, recruiter, sector): the rows of a group smaller
than k are generalised one step at a time (age band to minor/adult, year to a five-year
period, department to a macro-region, nationality to Peruvian or not, the form to not shown,
the sector, recruitment, means and justice groups to not shown; then, one by one,
department, year, nationality, country of exploitation, age and sex left blank), the
groups are counted again after each step, and the rows still in groups smaller than k are
suppressed. Only the rows that need it are generalised: a large group keeps its
detail. The export says how many rows and cells changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from amparo.cases.access import cases_for_job
from amparo.cases.models.case import age_on
from amparo.legal.choices import Decision
from amparo.legal.procedure import ORDER as STAGES
from amparo.reference.models import Department, Term

MISSING = -99
AGE_BANDS = [(0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"),
             (24, 26, "24--26"), (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"),
             (48, 200, "48+")]
GENDER = {"F": "Female", "M": "Male"}
FORMS = ("isForcedLabour", "isSexualExploit", "isOtherExploit")
LABOUR_FORMS = {"ForcedLabour", "ForcedBegging"}
MEANS = {  # HTCDS method of control → CTDC column
    "DebtBondage": "meansOfControlDebtBondage", "TakesEarnings": "meansOfControlTakesEarnings",
    "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
    "PhysicalThreats": "meansOfControlThreats", "ThreatensChildrenFamily": "meansOfControlThreats",
    "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
    "PsychologicalAbuse": "meansOfControlPsychologicalAbuse",
    "PhysicalAbuse": "meansOfControlPhysicalAbuse", "SexualAbuse": "meansOfControlSexualAbuse",
    "FalsePromises": "meansOfControlFalsePromises",
    "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
    "RestrictsMovement": "meansOfControlRestrictsMovement",
    "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
    "WithholdsNecessities": "meansOfControlWithholdsNecessities",
    "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
    "WithholdsDocuments": "meansOfControlWithholdsDocuments",
}
RECRUITER = {"pareja": "recruiterRelationIntimatePartner", "familiar": "recruiterRelationFamily",
             "amistad": "recruiterRelationFriend"}
LABOUR = {"A": "typeOfLabourAgriculture", "B": "typeOfLabourMiningOrDrilling",
          "C": "typeOfLabourManufacturing", "F": "typeOfLabourConstruction",
          "H": "typeOfLabourTransportation", "I": "typeOfLabourHospitality",
          "T": "typeOfLabourDomesticWork"}
CONVICTIONS = {Decision.CONVICTION, Decision.FINAL, Decision.PLEA, Decision.APPEAL_CONFIRMS}
MACRO_REGIONS = {
    "Lima y Callao": ("15", "07"),
    "Norte": ("01", "02", "06", "13", "14", "20", "24"),
    "Centro": ("05", "09", "10", "11", "12", "19"),
    "Sur": ("03", "04", "08", "18", "21", "23"),
    "Oriente": ("16", "17", "22", "25"),
}
REGION_OF = {code: region for region, codes in MACRO_REGIONS.items() for code in codes}
# The variables a protocol can ask for, by group; "core" always goes.
GROUPS = {
    "core": ["researchId", "yearOfRegistration", "gender", "ageBroad", "majorityStatus",
             "citizenship", "departmentOfOrigin", "CountryOfExploitation", *FORMS,
             "isSexAndLabour"],
    "means": sorted(set(MEANS.values())),
    "recruitment": [*RECRUITER.values(), "recruiterRelationOther", "recruiterRelationUnknown"],
    "labour": [*LABOUR.values(), "typeOfLabourOther"],
    "justice": ["hasProceeding", "furthestStage", "convicted", "civilParty",
                "reparationPaid"],
}
# Every column a public record could also hold counts toward k: a sentence published by a
# court names the year, the conviction, the reparation, the means of control and the
# recruiter's relation. So the quasi-identifiers are all the columns but the research id.
def quasi(columns) -> list[str]:
    return [c for c in columns if c != "researchId"]


def columns(variables: list[str]) -> list[str]:
    return [c for group in ["core", *[g for g in GROUPS if g in variables and g != "core"]]
            for c in GROUPS[group]]


@dataclass
class Extract:
    columns: list[str]
    rows: list[dict]
    k: int
    generalised_rows: int = 0
    generalised_cells: int = 0
    suppressed_rows: int = 0
    steps: list[tuple[str, int]] = field(default_factory=list)  # (step, rows it changed)


def _age_band(years: int | None):
    if years is None:
        return MISSING
    return next(label for low, high, label in AGE_BANDS if low <= years <= high)


def rows_for(cases, pseudonyms: dict[int, str], variables: list[str]) -> list[dict]:
    """One row per case, in CTDC's form. `cases` is the study's cohort, read through the
    access road; `pseudonyms` the study's research id of each."""
    std = {(v, c): s for v, c, s in Term.objects.filter(vocabulary__code__in=(
        "sexo", "nacionalidad", "forma_explotacion", "medio_control")).values_list(
        "vocabulary__code", "code", "standard_code")}
    departments = dict(Department.objects.values_list("code", "name"))
    wanted = set(columns(variables))
    cases = cases_for_job("research").filter(pk__in=cases.values("pk")).select_related(
        "person__identity").prefetch_related("episodes", "proceedings__steps",
                                             "proceedings__payments")
    rows = []
    for case in cases.order_by("intake_date", "pk"):
        identity = case.person.identity
        forms = {std.get(("forma_explotacion", f), "") for f in case.forms or []}
        labour, sexual = bool(forms & LABOUR_FORMS), "SexualExploitation" in forms
        other = bool(forms - LABOUR_FORMS - {"SexualExploitation", ""})
        exploitation = [e for e in case.episodes.all() if e.kind == "explotacion"]
        last = exploitation[-1] if exploitation else None
        country = (last.place_country or ("PE" if last.place_ubigeo else "")) if last else ""
        row = {
            "researchId": pseudonyms[case.pk],
            "yearOfRegistration": case.intake_date.year,
            "gender": GENDER.get(std.get(("sexo", identity.sex), ""), MISSING),
            "ageBroad": _age_band(age_on(identity.birth_date, identity.estimated_age,
                                         case.intake_date)),
            "majorityStatus": "Minor" if case.is_minor else "Adult",
            "citizenship": std.get(("nacionalidad", identity.nationality)) or MISSING,
            "departmentOfOrigin": departments.get((identity.origin_ubigeo or "")[:2], MISSING),
            "CountryOfExploitation": country or MISSING,
            "isForcedLabour": int(labour), "isSexualExploit": int(sexual),
            "isOtherExploit": int(other), "isSexAndLabour": int(labour and sexual),
        }
        if not forms:
            row.update(dict.fromkeys(FORMS, MISSING), isSexAndLabour=MISSING)
        episodes = list(case.episodes.all())
        if "means" in variables:
            used = {MEANS.get(std.get(("medio_control", c), "")) for e in episodes
                    for c in e.control or []}
            row.update({c: int(c in used) for c in GROUPS["means"]})
        if "recruitment" in variables:
            relations = {e.recruiter_relation for e in episodes if e.recruiter_relation}
            known = {RECRUITER.get(r, "recruiterRelationOther") for r in relations}
            row.update({c: int(c in known) for c in GROUPS["recruitment"][:-1]})
            row["recruiterRelationUnknown"] = int(not relations)
        if "labour" in variables:
            sectors = {(e.sector or "")[:1] for e in episodes if e.sector}
            used = {LABOUR.get(s, "typeOfLabourOther") for s in sectors}
            row.update({c: int(c in used) for c in GROUPS["labour"]})
        if "justice" in variables:
            proceedings = list(case.proceedings.all())
            stages = [STAGES.index(p.stage) for p in proceedings if p.stage in STAGES]
            decisions = {s.decision for p in proceedings for s in p.steps.all()}
            row.update({
                "hasProceeding": int(bool(proceedings)),
                "furthestStage": STAGES[max(stages)] if stages else MISSING,
                "convicted": int(bool(decisions & CONVICTIONS)),
                "civilParty": int(any(p.civil_party for p in proceedings)),
                "reparationPaid": int(any(p.payments.all() for p in proceedings)),
            })
        rows.append({c: row.get(c, MISSING) for c in columns(variables) if c in wanted})
    return rows


def _generalise_age(row):
    band = row["ageBroad"]
    if band in (MISSING, "0--17", "18+"):
        return band
    return "0--17" if band in ("0--8", "9--17") else "18+"


def _generalise_year(row):
    year = row["yearOfRegistration"]
    if not isinstance(year, int):
        return year
    start = year - (year - 1) % 5  # 2011–2015, 2016–2020, 2021–2025
    return f"{start}--{start + 4}"


def _generalise_department(row):
    value = row["departmentOfOrigin"]
    codes = {name: code for code, name in _DEPARTMENTS.items()}
    return REGION_OF.get(codes.get(value), value) if value != MISSING else value


def _generalise_citizenship(row):
    value = row["citizenship"]
    return value if value in ("PE", MISSING) else "OTHER"


_DEPARTMENTS: dict = {}
LADDER = (  # (step name, the columns it changes, how)
    ("ageBroad", ("ageBroad",), lambda row: {"ageBroad": _generalise_age(row)}),
    ("yearOfRegistration", ("yearOfRegistration",),
     lambda row: {"yearOfRegistration": _generalise_year(row)}),
    ("departmentOfOrigin", ("departmentOfOrigin",),
     lambda row: {"departmentOfOrigin": _generalise_department(row)}),
    ("citizenship", ("citizenship",), lambda row: {"citizenship": _generalise_citizenship(row)}),
    ("form", (*FORMS, "isSexAndLabour"),
     lambda row: dict.fromkeys((*FORMS, "isSexAndLabour"), MISSING)),
    # then the detail a public judgment shares, group by group, least needed first
    *[(group, tuple(columns), lambda row, columns=tuple(columns): dict.fromkeys(
        [c for c in columns if c in row], MISSING))
      for group, columns in (("labour", GROUPS["labour"]),
                             ("recruitment", GROUPS["recruitment"]),
                             ("means", GROUPS["means"]),
                             ("justice detail", ("furthestStage", "civilParty", "reparationPaid")),
                             ("justice", ("hasProceeding", "convicted")))],
    # then a cell left blank (-99) rather than a row lost: the row stays, with a visible gap
    ("departmentOfOrigin", ("departmentOfOrigin",), lambda row: {"departmentOfOrigin": MISSING}),
    ("yearOfRegistration", ("yearOfRegistration",), lambda row: {"yearOfRegistration": MISSING}),
    ("citizenship", ("citizenship",), lambda row: {"citizenship": MISSING}),
    ("CountryOfExploitation", ("CountryOfExploitation",),
     lambda row: {"CountryOfExploitation": MISSING}),
    ("ageBroad", ("ageBroad", "majorityStatus"),
     lambda row: {"ageBroad": MISSING, "majorityStatus": MISSING}),
    ("gender", ("gender",), lambda row: {"gender": MISSING}),
)


def _key(row: dict) -> tuple:
    return tuple(row[q] for q in quasi(row))


def _groups(rows: list[dict]) -> Counter:
    return Counter(_key(row) for row in rows)


def anonymise(rows: list[dict], k: int) -> Extract:
    """Rows in groups smaller than k generalised step by step, then suppressed."""
    _DEPARTMENTS.update(Department.objects.values_list("code", "name"))
    original = [dict(row) for row in rows]
    work = [dict(row) for row in rows]
    result = Extract(list(rows[0]) if rows else [], [], k)
    for step, _columns, change in LADDER:
        sizes = _groups(work)
        small = [i for i, row in enumerate(work) if sizes[_key(row)] < k]
        if not small:
            break
        changed = 0
        for i in small:
            new = change(work[i])
            if any(work[i][c] != v for c, v in new.items()):
                changed += 1
            work[i].update(new)
        result.steps.append((step, changed))
    sizes = _groups(work)
    kept = [i for i, row in enumerate(work) if sizes[_key(row)] >= k]
    result.suppressed_rows = len(work) - len(kept)
    for i in kept:
        cells = sum(1 for c in work[i] if work[i][c] != original[i][c])
        result.generalised_cells += cells
        result.generalised_rows += bool(cells)
        result.rows.append(work[i])
    return result
