"""The record-level export: CTDC's form, nobody named, k-anonymous, only consented cases, a
withdrawal honoured and recorded, every export audited."""

import csv
import io
import re
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from amparo.audit.models import AccessEvent
from amparo.reference.models import Department, District
from amparo.research import export, services
from amparo.research.models import Export

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> tuple[str, list[dict]]:
    text = content.decode()
    mark, body = text.split("\n", 1)
    return mark, list(csv.DictReader(io.StringIO(body)))


def test_the_export_names_no_one_and_every_group_has_k_rows(team, consented, study):
    record = study(k=5)
    made, content = services.export_make(actor=team["researcher"], study=record, fmt="csv")
    mark, rows = _rows(content)
    assert mark.startswith("# Estudio trayectorias · exportado por res")
    assert len(rows) + made.suppressed_rows == 21 and made.rows == len(rows)
    body = content.decode().split("\n", 1)[1]
    for case in consented["cases"]:
        identity = case.person.identity
        for secret in (identity.given_names, identity.paternal_surname,
                       identity.document_number, case.code, case.person.code):
            assert secret not in body, secret
    departments = set(Department.objects.values_list("name", flat=True))
    districts = set(District.objects.filter(code__in=[
        c.person.identity.origin_ubigeo for c in consented["cases"]]).values_list(
        "name", flat=True)) - departments
    assert districts and not any(d in body for d in districts)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}|\b\d{6}\b", body)
    groups = Counter(tuple(row[q] for q in export.quasi(row)) for row in rows)
    assert min(groups.values()) >= 5
    assert list(rows[0])[:4] == ["researchId", "yearOfRegistration", "gender", "ageBroad"]
    assert all(re.fullmatch(r"R-[0-9A-F]{8}", row["researchId"]) for row in rows)


def test_a_large_group_keeps_its_detail_and_the_changes_are_counted():
    rows = [{"researchId": f"R-{i}", "gender": "Female", "ageBroad": "18--20",
             "majorityStatus": "Adult", "citizenship": "PE", "departmentOfOrigin": "Loreto",
             "CountryOfExploitation": "PE", "yearOfRegistration": 2023, "isForcedLabour": 0,
             "isSexualExploit": 1, "isOtherExploit": 0, "isSexAndLabour": 0}
            for i in range(12)]
    rows.append({**rows[0], "researchId": "R-x", "citizenship": "VE", "ageBroad": "9--17",
                 "majorityStatus": "Minor"})
    extract = export.anonymise(rows, 11)
    kept = {r["researchId"]: r for r in extract.rows}
    assert kept["R-0"]["ageBroad"] == "18--20"  # its group of 12 is untouched
    assert extract.suppressed_rows == 1 and "R-x" not in kept  # alone whatever is blanked
    assert extract.generalised_rows == 0 and extract.steps[0] == ("ageBroad", 1)


def test_legal_outcomes_count_toward_k_as_a_public_judgment_holds_them():
    """Issue 32, finding 6: with the justice columns, rows that were in a group of k on the
    other columns were alone (a court's public record can single them out)."""
    base = {"gender": "Female", "ageBroad": "18--20", "majorityStatus": "Adult",
            "citizenship": "PE", "departmentOfOrigin": "Loreto", "CountryOfExploitation": "PE",
            "yearOfRegistration": 2023, "isForcedLabour": 0, "isSexualExploit": 1,
            "isOtherExploit": 0, "isSexAndLabour": 0, "hasProceeding": 1,
            "furthestStage": "juicio", "civilParty": 0, "reparationPaid": 0, "convicted": 0}
    rows = [{"researchId": f"R-{i}", **base} for i in range(6)]
    rows.append({**base, "researchId": "R-alone", "convicted": 1, "reparationPaid": 1})
    extract = export.anonymise(rows, 5)
    groups = Counter(tuple(row[q] for q in export.quasi(row)) for row in extract.rows)
    assert min(groups.values()) >= 5
    kept = {r["researchId"]: r for r in extract.rows}
    assert "R-alone" not in kept or kept["R-alone"]["convicted"] == export.MISSING
    assert kept["R-0"]["convicted"] == 0  # the large group keeps its detail


def test_cases_without_research_consent_never_appear_and_a_withdrawal_is_recorded(
        team, consented, study):
    record = study(k=5)
    first, _content = services.export_make(actor=team["researcher"], study=record, fmt="csv")
    assert first.rows + first.suppressed_rows == 21
    ids = {p.case_id for p in record.pseudonyms.all()}
    assert not ids & {c.pk for c in consented["cases"][21:]}
    withdrawing = consented["cases"][0]
    consented["research"](withdrawing, given=False, day=date(2024, 6, 1))
    second, _content = services.export_make(actor=team["researcher"], study=record, fmt="csv")
    assert second.withdrawn == 1 and second.rows + second.suppressed_rows == 20
    assert record.pseudonyms.get(case=withdrawing).withdrawn_at is not None


def test_each_study_gets_fresh_research_ids(team, consented, study):
    one, two = study(code="uno"), study(code="dos")
    for record in (one, two):
        services.export_make(actor=team["researcher"], study=record, fmt="csv")
    case = consented["cases"][0]
    assert one.pseudonyms.get(case=case).research_id != two.pseudonyms.get(case=case).research_id


def test_only_the_team_of_an_approved_study_exports_and_each_export_is_audited(
        team, consented, study, make_user):
    draft = study(code="borrador", approve=False)
    with pytest.raises(ValidationError, match="no está aprobado"):
        services.export_make(actor=team["researcher"], study=draft, fmt="csv")
    record = study()
    outsider = make_user("researcher", username="otra")
    with pytest.raises(PermissionDenied):
        services.export_make(actor=outsider, study=record, fmt="csv")
    made, content = services.export_make(actor=team["researcher"], study=record, fmt="xlsx")
    assert content[:2] == b"PK" and Export.objects.get() == made
    events = AccessEvent.objects.filter(section="research", actor=team["researcher"])
    assert events.filter(action="export", object_id="trayectorias").count() == 1
    assert events.filter(action="view", object_type="case").count() == 1  # the rows it read
