"""The framework's report for a period: PDF and XLSX hold the tables, the breakdowns and the
maps; a donor's is published (small counts hidden), an internal one is not."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from amparo.results import report, services
from amparo.results.periods import framework_periods

pytestmark = pytest.mark.django_db


def test_the_report_holds_the_table_the_breakdowns_and_a_map(framework, served, team):
    year = framework_periods(framework)
    built = report.build(framework, year[1], team["director"])  # 2026-T2: Rosa and Luz
    titles = [t.title for t in built.tables]
    assert titles[0].startswith("Metas y logros") and any(t.startswith("V · ") for t in titles)
    people = next(r for r in built.tables[0].rows if r[0] == "V")
    assert people[4] == "<10"  # two people: a donor's report does not show it
    sex = next(t for t in built.tables if t.title == "V · Sexo")
    assert "<10" in [row[1] for row in sex.rows]
    assert built.charts[0].title.startswith("Logro y meta")
    framework.internal = True
    built = report.build(framework, year[1], team["director"])
    assert next(r for r in built.tables[0].rows if r[0] == "V")[4] == "2"


def test_the_pdf_and_the_xlsx_hold_the_tables(client, login, team, framework, served):
    services.target_save(actor=team["director"], indicator=framework.indicators.get(code="V"),
                         period=framework_periods(framework)[1], dimension="office",
                         category="lima", value="12")
    login(team["director"])
    url = reverse("results:report", args=["prueba", "pdf"]) + "?periodo=2026-04-01_2026-06-30"
    pdf = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    for expected in ("Metas y logros, 2026-T2", "Víctimas atendidas", "V · Sexo",
                     "Metas por categoría, 2026-T2", "Oficina: Lima 12 <10"):
        assert expected in text, expected
    assert "17 %" not in text and "50 %" not in text  # 12 × 17 % would give the hidden 2
    book = load_workbook(BytesIO(client.get(url.replace("informe.pdf", "informe.xlsx"),
                                            HTTP_ACCEPT_LANGUAGE="es").content))
    assert book.sheetnames[0].startswith("1 Metas y logros") and len(book.sheetnames) >= 4
    by_category = next(book[name] for name in book.sheetnames if "Metas por categ" in name)
    rows = list(by_category.iter_rows(values_only=True))
    assert rows[1][:4] == ("V", "Víctimas atendidas", "Oficina: Lima", "12")


def test_the_map_has_one_value_per_department(framework, served, team):
    framework.internal = True
    built = report.build(framework, framework_periods(framework)[0], team["director"])
    origin = next(c for c in built.charts if "origen" in c.title)
    departments = [row[0] for row in origin.rows]
    assert len(departments) == len(set(departments))


def test_the_offices_page_splits_indicators_by_office(client, login, team, framework, served):
    login(team["director"])
    response = client.get(reverse("results:offices") +
                          "?marco=prueba&periodo=2026-01-01_2026-03-31", HTTP_ACCEPT_LANGUAGE="es")
    page = response.content.decode()
    assert "Víctimas atendidas" in page
    names = list(response.context["names"])
    served_row = next(r for r in response.context["rows"] if r[0].name == "Víctimas atendidas")
    by_office = dict(zip(names, served_row[1], strict=True))
    # In January to March: Rosa in Lima (10 January), Ana in Cusco (2 February); Luz came in May.
    assert by_office["Lima"] == 1 and by_office["Cusco"] == 1 and served_row[2] == 2
    assert all(v in (0, None) for n, v in by_office.items() if n not in ("Lima", "Cusco"))


def test_each_figure_says_whether_it_is_approved_and_money_reads_in_soles(framework, served,
                                                                          team):
    """A donor reads which numbers the director stands behind (issue 34)."""
    q2 = framework_periods(framework)[1]
    director = team["director"]
    people = framework.indicators.get(code="V")
    value = services.value_compute(actor=director, indicator=people, period=q2)
    for step in ("enviado", "aprobado"):
        value = services.value_decide(actor=director, value=value, decision=step)
    services.value_enter(actor=director, indicator=framework.indicators.get(code="F"),
                         period=q2, value="64000", evidence="Convenio con la municipalidad")
    table = report.build(framework, q2, director).tables[0]
    assert table.columns[-1] == "Cifra"
    rows = {r[0]: r for r in table.rows}
    assert rows["V"][-1] == "aprobado"
    assert rows["F"][-1] == "borrador, sin aprobar"
    assert rows["F"][4] == "S/ 64,000.00"
