from datetime import date

import pytest

from amparo.cases.services import consent_record
from amparo.research import services

NAMES = ["Rosa", "Luz", "Ana", "Marisol", "Yesenia", "Flor", "Katy", "Milagros"]
ORIGINS = ["160101", "080101", "210101", "150132", "170101", "250101"]


@pytest.fixture
def consented(make_case, team):
    """24 Lima cases over three years; all but the last three gave research consent."""
    def research(case, given=True, day=date(2024, 1, 10)):
        worker = team["caseworker"]
        consent_record(actor=worker, case=case, scope="investigacion", given=given,
                       decided_on=day, given_by="sobreviviente")
    cases = []
    for i in range(24):
        case = make_case(identity={
            "given_names": NAMES[i % len(NAMES)], "paternal_surname": f"Quispe{i}",
            "document_number": f"4{i:07d}", "origin_ubigeo": ORIGINS[i % len(ORIGINS)],
            "birth_date": date(1995 + i % 8, 3, 1 + i)},
            case={"intake_date": date(2021 + i % 3, 2, 1 + i)})
        if i < 21:
            research(case)
        cases.append(case)
    return {"cases": cases, "research": research}


@pytest.fixture
def study(team, consented):
    def make(kind="cuantitativo", approve=True, k=5, **extra):
        researcher = team["researcher"]
        record = services.study_save(actor=researcher, data={
            "code": extra.pop("code", "trayectorias"), "title": "Trayectorias",
            "kind": kind, "question": "¿Cómo cambió el camino por la justicia?",
            "starts_on": date(2020, 1, 1), "ends_on": date(2025, 12, 31),
            "variables": ["justice", "means"], "k": k, "epsilon_budget": "1", **extra})
        if approve:
            services.study_submit(actor=researcher, study=record)
            services.study_decide(actor=team["director"], study=record, approve=True,
                                  decision="Aprobado con consentimiento vigente y datos "
                                           "desidentificados.")
        return record
    return make
