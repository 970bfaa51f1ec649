from datetime import date

import pytest
import yaml

from amparo.cases.services import follow_up_record, service_record
from amparo.results import services

FRAMEWORK = {
    "framework": {"code": "prueba", "name": "Marco de prueba", "funder": "Donante",
                  "periods": "trimestral", "starts_on": date(2026, 1, 1),
                  "ends_on": date(2026, 12, 31)},
    "results": [{"code": "1", "text": "Atención"}],
    "indicators": [
        {"code": "V", "result": "1", "name": "Víctimas atendidas", "unit": "personas",
         "time_rule": "distintos", "measure": {"source": "services", "count": "people"},
         "disaggregations": ["sex", "minor", "office", "new"],
         "targets": {"2026-T1": 2, "2026-T2": 4}},
        {"code": "S", "result": "1", "name": "Atenciones", "unit": "eventos",
         "time_rule": "suma", "measure": {"source": "services", "count": "records"}},
        {"code": "P", "result": "1", "name": "Contactadas en seguimiento", "unit": "porcentaje",
         "time_rule": "distintos", "measure": {
             "numerator": {"source": "followups", "count": "people", "where": {"reached": True}},
             "denominator": {"source": "services", "count": "people"}}},
        {"code": "F", "result": "1", "name": "Fondos", "unit": "moneda", "time_rule": "suma"},
    ],
}


@pytest.fixture
def framework(tmp_path, db):
    path = tmp_path / "marco.yaml"
    path.write_text(yaml.safe_dump(FRAMEWORK, allow_unicode=True), encoding="utf-8")
    return services.framework_load(path)


@pytest.fixture
def serve(team):
    def record(case, day, kind="sesion_psicologica"):
        worker = team["caseworker"] if case.office.code == "lima" else team["cusco_caseworker"]
        return service_record(actor=worker, case=case, kind=kind, mode="presencial",
                              delivered_on=day, minutes=60, staff=worker)
    return record


@pytest.fixture
def follow(team):
    def record(case, day, reached=True):
        worker = team["caseworker"] if case.office.code == "lima" else team["cusco_caseworker"]
        return follow_up_record(actor=worker, case=case, contacted_on=day, channel="telefono",
                                reached=reached)
    return record


@pytest.fixture
def served(make_case, serve, team):
    """Rosa (Lima) served in January and April; Luz (Lima, sex not recorded) in May; Ana
    (Cusco) in February."""
    rosa = make_case(identity={"origin_ubigeo": "080101"},
                     case={"intake_date": date(2026, 1, 5)})
    luz = make_case(identity={"given_names": "Luz", "document_number": "41234567", "sex": ""},
                    case={"intake_date": date(2026, 5, 2)})
    ana = make_case(office_code="cusco", identity={"given_names": "Ana", "origin_ubigeo": "210101",
                                                    "document_number": "47777777"},
                    case={"intake_date": date(2026, 2, 1)})
    serve(rosa, date(2026, 1, 10))
    serve(rosa, date(2026, 4, 20))
    serve(luz, date(2026, 5, 3))
    serve(ana, date(2026, 2, 2))
    return {"rosa": rosa, "luz": luz, "ana": ana}
