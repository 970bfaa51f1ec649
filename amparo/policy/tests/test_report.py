"""The draft report: every chapter in order, the text the team wrote, the tables and charts
filled from the evidence; as PDF (WeasyPrint) and as DOCX (python-docx)."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from amparo.policy import choices, report, services
from amparo.policy.models import Service

pytestmark = pytest.mark.django_db
HEADINGS = ["Metodología", "Contexto", "Gobernanza institucional",
            "Prevención y sensibilización", "Atención, protección y reintegración",
            "Fiscalización y persecución", "Sociedad civil", "Principales retos"]


@pytest.fixture
def gathered(edition, watchdog, ask):
    funded, unfunded = Service.objects.get(number=2), Service.objects.get(number=3)
    services.evidence_save(actor=watchdog, edition=edition, service=funded, year=2023, data={
        "budget_assigned": Decimal(250000), "budget_executed": Decimal(180000),
        "implementation": "en_proceso", "delivered": "Campañas en 12 regiones"})
    services.evidence_save(actor=watchdog, edition=edition, service=unfunded, year=2024,
                           data={"budget_assigned": Decimal(0), "implementation": "no_iniciado"})
    services.instrument_save(actor=watchdog, data={
        "department": "16", "kind": "plan_regional", "name": "Plan Regional de Loreto 2022–2026",
        "starts": 2022, "ends": 2026, "has_objectives": True, "budget_lines": True})
    services.chapter_save(actor=watchdog, edition=edition, chapter="metodologia",
                          text="Solicitudes de información a 16 entidades.\n\nY presupuestos.")
    ask()
    return edition


def test_the_draft_has_every_chapter_with_its_tables_and_charts(gathered):
    with translation.override("es"):
        draft = report.draft(gathered, today=date(2025, 9, 1))
    assert [s.title for s in draft.sections] == HEADINGS
    methodology, context, governance, prevention = draft.sections[:4]
    assert methodology.paragraphs == ["Solicitudes de información a 16 entidades.",
                                      "Y presupuestos."]
    assert methodology.tables[0].rows[0][4] == "Vencida, sin respuesta"
    assert context.charts[0].rows == [["Con presupuesto", 1], ["Sin presupuesto", 1],
                                      ["Sin información", 40]]
    services_table = prevention.tables[0]
    rows = {row[0]: row for row in services_table.rows}
    assert rows[2][3] == "Con presupuesto" and rows[3][3] == "Sin presupuesto"
    assert "Plan Regional de Loreto 2022–2026" in str(governance.tables[-1].rows)
    assert governance.charts[0].rows == [["Loreto", 1]]  # the map's table


def test_the_pdf_opens_and_holds_each_chapter_table_and_chart(gathered):
    with translation.override("es"):
        draft = report.draft(gathered)
        document = report.laid_out(draft)
        content = report.pdf(draft)
    assert content.startswith(b"%PDF-") and len(content) > 20_000
    from django.template.loader import render_to_string

    html = render_to_string("policy/report.html", {"draft": draft})
    assert html.count("<svg") == 3  # the charts, drawn from the same specs as on screen
    assert len(document.pages) >= 3
    bookmarks = [label for label, *_rest in _flat(document.make_bookmark_tree())]
    assert bookmarks[:1] == ["Informe Alternativo 2023–2024"] and bookmarks[1:] == HEADINGS
    text = _text(document)
    assert "de este eje y lo que muestra la evidencia" in text  # a table's caption, counted
    assert "servicios de la política según presupuesto" in text  # the chart says it is all
    assert "Con presupuesto" in text and "Vencida, sin respuesta" in text
    assert "Plan Regional de Loreto" in text  # (a narrow column wraps its period)
    assert "Solicitudes de información a 16 entidades." in text


def _flat(tree):
    for label, _target, children, *_state in tree:
        yield label, children
        yield from _flat(children)


def _text(document) -> str:
    """Every text the layout drew (charts are SVG images, so their labels are not in it)."""
    out = []

    def walk(box):
        if hasattr(box, "text") and isinstance(box.text, str):
            out.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(" ".join(out).split())


def test_the_docx_opens_with_headings_tables_and_chart_images(gathered):
    from docx import Document

    with translation.override("es"):
        content = report.docx(report.draft(gathered))
    document = Document(io.BytesIO(content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == HEADINGS
    assert len(document.tables) >= 4
    assert "Con presupuesto" in [c.text for t in document.tables for r in t.rows
                                 for c in r.cells]
    images = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist()
              if n.startswith("word/media/")]
    assert len(images) == 3  # requests, budget and the map


def test_the_command_writes_the_report(gathered, tmp_path):
    out = tmp_path / "informe.docx"
    call_command("policy", "report", "--edition", gathered.code, "--format", "docx",
                 "--out", str(out))
    assert out.read_bytes().startswith(b"PK")


def test_an_edition_may_have_a_scale_and_its_assessments_show(gathered, watchdog):
    scale = services.scale_parse("a: Avance adecuado\nb: Avance insuficiente\nc: Sin avance")
    services.edition_save(actor=watchdog, edition=gathered, data={
        "first_year": 2023, "last_year": 2024, "scale": scale})
    services.evidence_save(actor=watchdog, edition=gathered, service=Service.objects.get(
        number=2), year=2024, data={"assessment": "b", "implementation": "en_proceso"})
    with translation.override("es"):
        table = report.draft(gathered).sections[3].tables[0]
    assert table.columns[-1] == "Valoración"
    assert {row[0]: row[-1] for row in table.rows}[2] == "Avance insuficiente"
    with pytest.raises(Exception, match="scale"):
        services.edition_save(actor=watchdog, edition=gathered, data={
            "first_year": 2023, "last_year": 2024, "scale": []})
    assert choices.Chapter.METHODOLOGY.label
