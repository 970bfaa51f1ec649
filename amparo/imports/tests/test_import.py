"""Importing a register: every row accounted for, all or nothing, idempotent, correctable and
undoable, with Spanish reasons naming sheet, row, column and value."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from amparo.audit.models import AccessEvent
from amparo.cases import services as case_services
from amparo.cases.models import Case, Episode, Identity, Note, Person
from amparo.crypto.models import DataKey
from amparo.imports.execute import import_run
from amparo.imports.mapping import mapping_load
from amparo.imports.models import ImportedRecord, ImportRun
from amparo.imports.report import report_unpack
from amparo.imports.services import import_undo
from amparo.imports.tests.conftest import HEADERS, MAPPING, ROWS, register
from amparo.legal.models import Proceeding

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _spanish():
    with translation.override("es"):
        yield


def run(coordinator, path, mapping=MAPPING, **options):
    """The import as an office runs it: in Spanish, so the report's words are known."""
    with translation.override("es"):
        return import_run(actor=coordinator, path=path, mapping=mapping_load(mapping), **options)


def lines(result):
    return report_unpack(result.run.unseal_bytes("report"))[1]


def test_a_dry_run_reports_every_row_and_changes_nothing(workbook, coordinator):
    before = (Case.objects.count(), Person.objects.count(), Identity.history.count())
    result = run(coordinator, workbook, dry_run=True)
    assert (Case.objects.count(), Person.objects.count(), Identity.history.count()) == before
    assert result.run.status == ImportRun.Status.CHECKED
    assert result.run.counts == {"imported": 3, "skipped": 2}
    rows = lines(result)
    assert [(ln.row, ln.outcome) for ln in rows] == [
        (3, "imported"), (4, "imported"), (5, "skipped"), (6, "imported"), (7, "skipped")]
    assert rows[0].values[1] == "Rosa Quispe Mamani"  # the original row travels with it


def test_an_import_creates_each_case_with_what_its_row_says(workbook, coordinator):
    result = run(coordinator, workbook, dry_run=False)
    assert result.run.status == ImportRun.Status.DONE
    cases = {c.legacy_number: c for c in Case.objects.select_related("person__identity")}
    rosa = cases["1"]
    assert rosa.code.startswith("PMA-2015-") and rosa.office.code == "maldonado"
    assert rosa.intake_date == date(2015, 3, 15) and rosa.arrival == "otra"
    identity = rosa.person.identity
    assert (identity.given_names, identity.paternal_surname, identity.maternal_surname) == (
        "Rosa", "Quispe", "Mamani")
    assert identity.document_number == "01234567" and identity.document_type == "dni"
    assert rosa.is_minor and rosa.age_at_intake == 15 and rosa.guardian_type == "otro"
    assert rosa.worker == coordinator and rosa.status == "registro"
    episode = Episode.objects.get(case=rosa)
    assert episode.forms == ["explotacion_sexual"] and episode.place_ubigeo == "17"
    assert rosa.forms == ["explotacion_sexual"]
    assert Proceeding.objects.get(case=rosa).prosecutor_file == "2015-123"
    note = Note.objects.get(case=rosa).unseal("text")
    assert "hoja 2015, fila 3" in note and "Vino con su madre" in note
    luz = cases["2"].person.identity
    assert (luz.paternal_surname, luz.maternal_surname) == ("Del Águila", "Panduro")
    assert not cases["2"].is_minor and cases["2"].guardian_type == ""
    assert Identity.history.count() == 3 and Case.history.count() == 3
    created = Identity.history.get(id=identity.pk)
    assert (created.history_type, created.given_names, created.history_user) == (
        "+", "Rosa", coordinator)
    assert Case.history.get(id=rosa.pk).intake_date == date(2015, 3, 15)
    assert Episode.history.get(id=episode.pk).forms == ["explotacion_sexual"]
    event = AccessEvent.objects.filter(section="import", action="create", object_type="case").get()
    assert sorted(event.object_ids) == sorted(c.code for c in cases.values())


def test_running_the_same_file_again_changes_nothing(workbook, coordinator):
    run(coordinator, workbook, dry_run=False)
    versions = list(Case.objects.order_by("pk").values_list("pk", "version"))
    again = run(coordinator, workbook, dry_run=False)
    assert again.run.counts == {"unchanged": 3, "skipped": 2}
    assert list(Case.objects.order_by("pk").values_list("pk", "version")) == versions


def test_a_corrected_file_updates_the_rows_whose_key_matches(tmp_path, workbook, coordinator):
    run(coordinator, workbook, dry_run=False)
    rosa = Case.objects.get(legacy_number="1")
    fixed = [list(r) for r in ROWS]
    fixed[0][1] = "Rosa Elena Quispe Mamani"
    fixed[0][5] = "laboral - minería"
    result = run(coordinator, register(tmp_path / "corregido.xlsx", fixed), dry_run=False)
    assert result.run.counts == {"updated": 1, "unchanged": 2, "skipped": 2}
    rosa.refresh_from_db()
    assert rosa.person.identity.given_names == "Rosa Elena" and rosa.version == 2
    assert Episode.objects.get(case=rosa).forms == ["explotacion_laboral"]
    assert rosa.forms == ["explotacion_laboral"]
    assert Case.objects.count() == 3


def test_one_bad_row_at_the_end_stops_the_whole_import(tmp_path, coordinator):
    rows = [list(r) for r in ROWS] + [[4, "Ana Mamani Ccori", "", 20, "31/02/2016", "Sexual",
                                       "Cusco", "", ""]]
    result = run(coordinator, register(tmp_path / "malo.xlsx", rows), dry_run=False)
    assert result.run.status == ImportRun.Status.REFUSED
    assert Case.objects.count() == 0 and ImportedRecord.objects.count() == 0
    bad = [ln for ln in lines(result) if ln.outcome == "rejected"]
    assert [(ln.sheet, ln.row) for ln in bad] == [("2015", 8)]
    column, value, message = bad[0].issues[0]
    assert (column, value) == ("Fecha de ingreso", "31/02/2016")
    assert "no es una fecha real" in message


def test_partial_imports_the_valid_rows_and_reports_the_rest(tmp_path, coordinator):
    rows = [list(r) for r in ROWS] + [[4, "Ana Mamani Ccori", "", 20, "31/02/2016", "Sexual",
                                       "Cusco", "", ""]]
    result = run(coordinator, register(tmp_path / "malo.xlsx", rows), dry_run=False,
                 partial=True)
    assert result.run.status == ImportRun.Status.DONE
    assert result.run.counts == {"imported": 3, "skipped": 2, "rejected": 1}
    assert Case.objects.count() == 3


def test_every_source_row_ends_in_exactly_one_outcome(tmp_path, coordinator):
    rows = [list(r) for r in ROWS] + [
        [4, "", "", 20, "01/02/2016", "Sexual", "Cusco", "", ""],  # no name
        [5, "Ana Ccori", "123", 20, "01/02/2016", "Sexual", "Cusco", "", ""],  # bad DNI
        [1, "Rosa Quispe Mamani", "", 15, datetime(2015, 3, 15), "", "", "", ""],  # same key
        [6, "Eva Cruz", "", 21, "01/02/2016", "Sexual", "Narnia", "", ""],  # unknown place
        [7, "Ada Poma", "", "", "01/02/2016", "", "", "", ""],  # no age: in, with a gap
    ]
    result = run(coordinator, register(tmp_path / "mixto.xlsx", rows), dry_run=True)
    report = lines(result)
    assert len(report) == len(rows) == sum(result.run.counts.values())
    rejected = {ln.row: ln.issues for ln in report if ln.outcome == "rejected"}
    assert set(rejected) == {8, 9, 10, 11}
    ada = next(ln for ln in report if ln.row == 12)
    assert ada.outcome == "imported" and any("complet" in m for _c, _v, m in ada.warnings)
    assert rejected[9][0][:2] == ["DNI", "123"]
    assert "Misma clave" in rejected[10][0][2]
    assert rejected[11][0][:2] == ["Lugar de explotación", "Narnia"]
    assert all(message for issues in rejected.values() for _c, _v, message in issues)


def test_a_value_without_a_code_can_go_to_a_note_instead(tmp_path, coordinator):
    rows = [[1, "Rosa Quispe Mamani", "", 22, "01/02/2016", "mendicidad en la calle", "Cusco",
             "", ""]]
    path = register(tmp_path / "x.xlsx", rows)
    refused = run(coordinator, path, dry_run=False)
    assert refused.run.status == ImportRun.Status.REFUSED
    assert "mendicidad en la calle" in lines(refused)[0].issues[0][1]
    kept = run(coordinator, path, MAPPING.replace("unknown_values: reject",
                                                  "unknown_values: note"), dry_run=False)
    assert kept.run.status == ImportRun.Status.DONE
    case = Case.objects.get()
    note = Note.objects.get(case=case).unseal("text")
    assert "Tipo de explotación: mendicidad en la calle" in note


def test_undo_takes_back_every_case_with_its_history_and_keys(workbook, coordinator):
    result = run(coordinator, workbook, dry_run=False)
    keys = list(Case.objects.values_list("data_key_id", flat=True))
    import_undo(actor=coordinator, run=result.run)
    assert Case.objects.count() == Person.objects.count() == Identity.objects.count() == 0
    assert Identity.history.count() == Case.history.count() == Episode.history.count() == 0
    assert not DataKey.objects.filter(pk__in=keys, destroyed_at__isnull=True).exists()
    result.run.refresh_from_db()
    assert result.run.status == ImportRun.Status.UNDONE
    assert AccessEvent.objects.filter(section="import", action="delete").exists()
    again = run(coordinator, workbook, dry_run=False)  # the rows can come in again
    assert again.run.counts["imported"] == 3


def test_undo_of_a_correction_puts_back_what_it_replaced(tmp_path, workbook, coordinator):
    run(coordinator, workbook, dry_run=False)
    fixed = [list(r) for r in ROWS]
    fixed[0][1] = "Rosa Elena Quispe Mamani"
    fixed[0][7] = "2015-999"
    correction = run(coordinator, register(tmp_path / "corregido.xlsx", fixed), dry_run=False)
    import_undo(actor=coordinator, run=correction.run)
    rosa = Case.objects.get(legacy_number="1")
    assert rosa.person.identity.given_names == "Rosa"
    assert Proceeding.objects.get(case=rosa).prosecutor_file == "2015-123"
    assert Note.objects.filter(case=rosa).count() == 1
    assert run(coordinator, workbook, dry_run=True).run.counts["unchanged"] == 3


def test_undo_refuses_when_someone_worked_on_a_case_since(workbook, coordinator):
    result = run(coordinator, workbook, dry_run=False)
    case = Case.objects.select_related("data_key").get(legacy_number="2")
    case_services.note_add(actor=coordinator, case=case, text="Llamó su hermana.")
    with pytest.raises(ValidationError, match=case.code):
        import_undo(actor=coordinator, run=result.run)
    assert Case.objects.count() == 3


def test_a_correction_never_overwrites_an_edit_made_in_amparo(tmp_path, workbook, coordinator):
    run(coordinator, workbook, dry_run=False)
    case = Case.objects.select_related("person__identity").get(legacy_number="1")
    case_services.identity_update(actor=coordinator, case=case,
                                  version=case.person.identity.version,
                                  identity={"given_names": "Rosa María"})
    fixed = [list(r) for r in ROWS]
    fixed[0][1] = "Rosa Elena Quispe Mamani"
    result = run(coordinator, register(tmp_path / "corregido.xlsx", fixed), dry_run=False)
    assert result.run.status == ImportRun.Status.REFUSED
    assert "se editó en Amparo" in lines(result)[0].issues[0][2] or \
        "edited in Amparo" in lines(result)[0].issues[0][2]
    case.person.identity.refresh_from_db()
    assert case.person.identity.given_names == "Rosa María"


def test_only_a_coordinator_of_the_office_imports(workbook, make_user):
    for roles in (("caseworker@maldonado",), ("coordinator@lima",), ("director",)):
        with pytest.raises(PermissionDenied):
            run(make_user(*roles), workbook, dry_run=True)


def test_merged_cells_and_several_sheets_come_in(tmp_path, coordinator):
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "2015"
    first.append(HEADERS)
    first.append([1, "Rosa Quispe Mamani", "", 20, "15/03/2015", "Sexual", "Cusco", "", ""])
    first.append([2, "Luz Poma Ccori", "", 21, None, "Sexual", "Cusco", "", ""])
    first.merge_cells("E2:E3")  # one intake date for both rows
    second = book.create_sheet("2016")
    second.append(HEADERS)
    second.append([1, "Ana Huamán Cruz", "", 19, 42400, "Sexual", "Puno", "", ""])
    path = tmp_path / "dos.xlsx"
    book.save(path)
    result = run(coordinator, path, dry_run=False)
    assert result.run.counts == {"imported": 3}
    assert set(Case.objects.values_list("legacy_number", "intake_date")) == {
        ("1", date(2015, 3, 15)), ("2", date(2015, 3, 15)), ("1", date(2016, 1, 31))}


def test_a_column_the_mapping_does_not_mention_stops_the_run(tmp_path, coordinator):
    path = register(tmp_path / "x.xlsx", [r + ["dato"] for r in ROWS], HEADERS + ["Teléfono"])
    result = run(coordinator, path, dry_run=True)
    assert result.run.status == ImportRun.Status.FAILED
    assert "Teléfono" in result.run.error


def test_a_csv_imports_like_a_workbook(tmp_path, coordinator):
    path = tmp_path / "registro.csv"
    path.write_text("N°;Nombres y apellidos;DNI;Edad;Fecha de ingreso;Tipo de explotación;"
                    "Lugar de explotación;N° carpeta fiscal;Observaciones\n"
                    "1;Rosa Quispe Mamani;45871236;22;15/03/2015;Sexual;Cusco;;\n",
                    encoding="utf-8")
    mapping = MAPPING.replace("header_row: auto", "header_row: 1")
    assert run(coordinator, path, mapping, dry_run=False).run.counts == {"imported": 1}


def test_computed_alerts_do_not_block_undo_but_a_risk_assessment_does(workbook, coordinator):
    from amparo.monitoring.models import Alert
    from amparo.monitoring.refresh import alerts_refresh
    from amparo.monitoring.services import risk_assess

    result = run(coordinator, workbook, dry_run=False)
    alerts_refresh()
    assert Alert.objects.exists()  # old open cases raise alerts; they are not anyone's work
    case = Case.objects.select_related("data_key").get(legacy_number="3")
    risk_assess(actor=coordinator, case=case, assessed_on=date(2026, 1, 5), answers=[])
    with pytest.raises(ValidationError, match=case.code):
        import_undo(actor=coordinator, run=result.run)
    assert Case.objects.count() == 3


def test_undo_after_the_alerts_were_computed_removes_them_too(workbook, coordinator):
    from amparo.monitoring.models import Alert
    from amparo.monitoring.refresh import alerts_refresh

    result = run(coordinator, workbook, dry_run=False)
    alerts_refresh()
    import_undo(actor=coordinator, run=result.run)
    assert not Alert.objects.exists() and not Case.objects.exists()


def test_a_row_of_another_office_needs_the_right_to_import_there(tmp_path, coordinator):
    rows = [r + [office] for r, office in zip(ROWS[:2], ["Puerto Maldonado", "Lima"])]
    path = register(tmp_path / "sedes.xlsx", rows, HEADERS + ["Sede"])
    mapping = MAPPING.replace('  "Observaciones": case.note', '  "Observaciones": case.note\n'
                                                               '  "Sede": case.office')
    result = run(coordinator, path, mapping, dry_run=True)
    bad = [ln for ln in lines(result) if ln.outcome == "rejected"]
    assert [(ln.row, ln.issues[0][1]) for ln in bad] == [(4, "lima")]
    assert "no puede importar en la oficina lima" in bad[0].issues[0][2]


def test_a_default_document_type_applies_only_to_rows_with_a_number(workbook, coordinator):
    mapping = MAPPING.replace("defaults:\n", "defaults:\n  person.document_type: dni\n")
    result = run(coordinator, workbook, mapping, dry_run=False)
    assert result.run.counts == {"imported": 3, "skipped": 2}
    kinds = dict(Identity.objects.values_list("given_names", "document_type"))
    assert kinds == {"Rosa": "dni", "Luz": "dni", "Yeny": ""}
    assert not any(w for ln in lines(result) if ln.outcome == "imported" for w in ln.warnings
                   if "complet" not in w[2])  # only the gaps (no sex column) are said


def test_the_registers_last_contact_becomes_a_follow_up(tmp_path, coordinator):
    from amparo.cases.models import FollowUp

    rows = [r + [contact, reached] for r, contact, reached in zip(
        ROWS[:2], ["10/01/2016", "05/05/2015"], ["Sí", "no"])]
    path = register(tmp_path / "seguimiento.xlsx", rows,
                    HEADERS + ["Último seguimiento", "Contactada"])
    mapping = MAPPING.replace('  "Observaciones": case.note', '  "Observaciones": case.note\n'
                              '  "Último seguimiento": follow_up.contacted_on\n'
                              '  "Contactada": follow_up.reached')
    refused = run(coordinator, path, mapping, dry_run=True)
    assert "Diga cómo se hizo el seguimiento" in lines(refused)[0].issues[0][2]
    mapping = mapping.replace("defaults:\n", "defaults:\n  follow_up.channel: telefono\n")
    result = run(coordinator, path, mapping, dry_run=False)
    assert result.run.counts == {"imported": 2}
    follow_ups = {f.case.legacy_number: (f.contacted_on, f.channel, f.reached)
                  for f in FollowUp.objects.select_related("case")}
    assert follow_ups == {"1": (date(2016, 1, 10), "telefono", True),
                          "2": (date(2015, 5, 5), "telefono", False)}
    import_undo(actor=coordinator, run=result.run)
    assert not FollowUp.objects.exists()


def test_ids_given_in_bulk_leave_the_next_intake_a_fresh_one(workbook, coordinator, make_user):
    run(coordinator, workbook, dry_run=False)
    taken = set(Case.objects.values_list("pk", flat=True))
    worker = make_user("caseworker@maldonado", username="mdd.cw")
    new = case_services.case_intake(
        actor=worker, office=Case.objects.first().office,
        identity={"given_names": "Ana", "estimated_age": 30},
        case={"intake_date": date(2026, 1, 5), "arrival": "fiscalia"})
    assert new.pk not in taken and new.person.pk not in set(
        Case.objects.exclude(pk=new.pk).values_list("person_id", flat=True))


def test_document_cells_as_registers_have_them_come_in(tmp_path, coordinator):
    """Issue 17, item 2: the type typed into the number, and the words for "she has none"."""
    rows = [
        [1, "Rosa Quispe Mamani", "CE 009482724", 15, datetime(2015, 3, 15), "Sexual", "", "", ""],
        [2, "Luz Panduro", "no tiene", 27, datetime(2015, 4, 2), "Sexual", "", "", ""],
        [3, "Yeny Ccama", "PTP 973706477", 19, datetime(2015, 5, 3), "Sexual", "", "", ""],
        [4, "Ana Ríos", "DNI: 4512345", 20, datetime(2015, 6, 4), "Sexual", "", "", ""],
        [5, "Eva Soto", "Pasaporte 123456789", 22, datetime(2015, 7, 5), "Sexual", "", "", ""],
    ]
    result = run(coordinator, register(tmp_path / "docs.xlsx", rows=rows), dry_run=False)
    assert result.run.status == ImportRun.Status.DONE, lines(result)
    found = {c.legacy_number: (c.person.identity.document_type,
                               c.person.identity.document_number)
             for c in Case.objects.select_related("person__identity")}
    assert found == {"1": ("carne_extranjeria", "009482724"), "2": ("ninguno", ""),
                     "3": ("ptp_cpp", "973706477"), "4": ("dni", "04512345"),
                     "5": ("pasaporte", "123456789")}


def test_gaps_come_in_flagged_and_an_alert_follows_them_until_filled(tmp_path, coordinator):
    """Issue 17, item 1: an old row without age ("menor" or empty), document type or sex is a
    case with visible gaps, not a rejection."""
    from amparo.cases import services as case_services
    from amparo.monitoring.models import Alert, AlertRule
    from amparo.monitoring.refresh import alerts_refresh

    rows = [
        [1, "Rosa Quispe Mamani", "", "menor", datetime(2012, 3, 15), "Sexual", "", "", ""],
        [2, "Luz Panduro", "45871236", "", datetime(2012, 4, 2), "Sexual", "", "", ""],
        [3, "Yeny Ccama", "", 19, datetime(2012, 5, 3), "Sexual", "", "", ""],
    ]
    result = run(coordinator, register(tmp_path / "gaps.xlsx", rows=rows), dry_run=False)
    assert result.run.status == ImportRun.Status.DONE, lines(result)
    assert sum("completar" in str(line) for line in lines(result)) == 3
    cases = {c.legacy_number: c for c in Case.objects.select_related("person__identity")}
    rosa, luz, yeny = cases["1"], cases["2"], cases["3"]
    assert rosa.is_minor and rosa.age_at_intake is None and rosa.guardian_type == "otro"
    assert rosa.person.identity.gaps == ["edad", "documento", "sexo"]
    assert luz.person.identity.gaps == ["edad", "sexo"] and not luz.is_minor
    assert yeny.person.identity.gaps == ["documento", "sexo"]
    AlertRule.objects.filter(kind="datos_por_completar").update(days=0)
    alerts_refresh()
    alert = Alert.objects.get(case=rosa, kind="datos_por_completar", ended_on__isnull=True)
    assert alert.subject == "datos:edad,documento,sexo,"
    identity = rosa.person.identity
    case_services.identity_update(actor=coordinator, case=rosa, version=identity.version,
                                  identity={"estimated_age": 14, "sex": "mujer",
                                            "document_type": "ninguno"})
    alerts_refresh()
    alert.refresh_from_db()
    assert alert.ended_on is not None
    assert not Alert.objects.filter(case=rosa, kind="datos_por_completar",
                                    ended_on__isnull=True).exists()
    # A worker who does not know the age yet can still save the rest of the identity.
    identity = luz.person.identity
    case_services.identity_update(actor=coordinator, case=luz, version=identity.version,
                                  identity={"social_name": "Lucecita"})


def test_no_column_has_to_be_dropped(tmp_path, coordinator):
    """Issue 17, item 4: several columns go to the case note, each after its header; a column
    mapped to null is still named in the report, by decision."""
    from amparo.imports.report import report_text

    headers = [*HEADERS, "Situación legal", "Teléfono antiguo"]
    rows = [[1, "Rosa Quispe Mamani", 1234567, 15, datetime(2015, 3, 15), "Sexual", "MDD",
             "", "Vino con su madre", "archivado", "999 888 777"]]
    mapping = MAPPING.replace('  "Observaciones": case.note\n', '  "Observaciones": case.note\n'
                              '  "Situación legal": case.note\n  "Teléfono antiguo": null\n')
    result = run(coordinator, register(tmp_path / "notas.xlsx", rows=rows, headers=headers),
                 mapping, dry_run=False)
    note = Note.objects.get().unseal("text")
    assert "Observaciones: Vino con su madre" in note and "Situación legal: archivado" in note
    headers_seen, report = report_unpack(result.run.unseal_bytes("report"))
    text = report_text(result.run, report, headers_seen)
    assert "Teléfono antiguo" in text and "999 888 777" not in note


def test_imported_people_are_matched_against_open_reports(tmp_path, coordinator,
                                                          django_capture_on_commit_callbacks):
    """Issue 17, item 7: the bulk import queues the matching a case registered at intake gets."""
    from django_tasks_db.models import DBTaskResult

    from amparo.linkage.models import Candidate, MatchRun
    from amparo.linkage.tasks import match_execute
    from amparo.linkage.tests.test_linkage import ALERT, _import

    _import(coordinator, ALERT)  # a police alert for ROSA QUISPE MAMANI, 25, Cusco
    rows = [[1, "Rosa Quispe Mamani", "", 25, datetime(2026, 9, 20), "Sexual", "", "", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        result = run(coordinator, register(tmp_path / "rosa.xlsx", rows=rows), dry_run=False)
    assert result.run.status == ImportRun.Status.DONE
    rosa = Case.objects.get()
    match = MatchRun.objects.order_by("-pk").first()
    assert match.kind == MatchRun.Kind.NEW
    task = DBTaskResult.objects.filter(task_path__endswith="match_execute").order_by(
        "-enqueued_at").first()
    assert task.args_kwargs["args"][2] == [rosa.person_id]
    match_execute.call(*task.args_kwargs["args"])
    assert Candidate.objects.filter(kind="report", person_id=rosa.person_id).exists()


def test_a_legal_status_column_starts_the_proceeding_at_its_stage(tmp_path, coordinator):
    """Issue 17, item 3."""
    from amparo.legal.models import Step

    headers = [*HEADERS, "Situación legal"]
    rows = [
        [1, "Rosa Quispe Mamani", "", 15, datetime(2015, 3, 15), "Sexual", "", "", "", "archivado"],
        [2, "Luz Panduro", "", 20, datetime(2015, 4, 2), "Sexual", "", "2015-77", "",
         "juicio oral"],
        [3, "Yeny Ccama", "", 19, datetime(2015, 5, 3), "Sexual", "", "", "", "no denunció"],
        [4, "Ana Ríos", "", 22, datetime(2015, 6, 4), "Sexual", "", "", "",
         "Sentencia condenatoria"],
        [5, "Eva Soto", "", 23, datetime(2015, 7, 5), "Sexual", "", "", "", ""],
    ]
    mapping = MAPPING.replace('  "Observaciones": case.note\n', '  "Observaciones": case.note\n'
                              '  "Situación legal": proceeding.status\n')
    result = run(coordinator, register(tmp_path / "legal.xlsx", rows=rows, headers=headers),
                 mapping, dry_run=False)
    assert result.run.status == ImportRun.Status.DONE, lines(result)
    stages = {p.case.legacy_number: p.stage for p in Proceeding.objects.select_related("case")}
    assert stages == {"1": "concluido", "2": "juicio_oral", "4": "juicio_oral"}
    archive = Step.objects.get(proceeding__case__legacy_number="1")
    assert (archive.kind, archive.decision, archive.stage_before) == (
        "decision", "archivo", "diligencias_preliminares")
    assert "fecha" in archive.unseal("note")
    assert Step.objects.get(proceeding__case__legacy_number="4").decision == \
        "sentencia_condenatoria"
    yeny = Note.objects.get(case__legacy_number="3").unseal("text")
    assert "denuncia" in yeny


def test_each_sheet_goes_to_the_office_its_name_or_title_gives(tmp_path, make_user):
    """Issue 17, item 5: offices per sheet, proposed from "Lima 2015" or "Sede: Cusco"."""
    from openpyxl import Workbook

    from amparo.imports.propose import propose, to_yaml

    coordinator = make_user("coordinator@lima", "coordinator@cusco", username="dos.sedes")
    book = Workbook()
    first = book.active
    first.title = "Lima 2015"
    second = book.create_sheet("Hoja2")
    for sheet, title, row in (
            (first, "REGISTRO DE CASOS 2015", [1, "Rosa Quispe Mamani", "", 15,
                                                datetime(2015, 3, 15), "Sexual", "", "", ""]),
            (second, "Sede: Cusco", [2, "Luz Panduro", "", 20, datetime(2015, 4, 2), "Sexual",
                                     "", "", ""])):
        sheet.append([title])
        sheet.append(HEADERS)
        sheet.append(row)
    path = tmp_path / "dos-sedes.xlsx"
    book.save(path)
    proposal = propose(path, office="lima")
    assert proposal.sheet_offices == {"Lima 2015": "lima", "Hoja2": "cusco"}
    text = to_yaml(proposal)
    assert '"Hoja2": cusco' in text and "REVISAR" in text.split("sheets:")[1].split("\n")[0]
    mapping = MAPPING.replace("office: maldonado", "office: lima").replace(
        'sheets: "*"', 'sheets: {"Lima 2015": lima, "Hoja2": cusco}')
    result = run(coordinator, path, mapping, dry_run=False)
    assert result.run.status == ImportRun.Status.DONE, lines(result)
    offices = dict(Case.objects.values_list("legacy_number", "office__code"))
    assert offices == {"1": "lima", "2": "cusco"}
