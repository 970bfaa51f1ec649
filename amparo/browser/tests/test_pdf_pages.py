"""The PDFs a person downloads, looked at page by page (rendered to images by pdftoppm, words
placed by pdftotext): the period results report and the watchdog's draft report have no text
cut off at an edge and no words drawn over one another (issue 34; promise 7)."""

import os
from io import StringIO

import pytest
from django.core.management import call_command

from amparo.browser.pdfcheck import pdf_problems, tools_present

pytestmark = pytest.mark.skipif(
    not tools_present() and os.environ.get("CI") != "true",
    reason="poppler-utils is missing (apt-get install poppler-utils; `make test` installs it)")


@pytest.fixture
def demo(settings, tmp_path, django_db_blocker, db):
    settings.AMPARO_DEMO, settings.VAR_DIR = True, tmp_path
    call_command("seed", "--cases", "120", stdout=StringIO())


def test_a_drawn_over_and_a_cut_off_page_are_found():
    """The check itself fails where it should: two words at one place, a word off the page."""
    from weasyprint import HTML

    bad = HTML(string='<p style="margin:0">Lima</p><p style="margin-top:-1.2em">Cusco</p>'
                      '<p style="margin-left:-3cm">Recortado</p>').write_pdf()
    problems = pdf_problems(bad)
    assert any("drawn over each other" in p for p in problems)
    assert any("Recortado" in p or "edge" in p for p in problems)


def test_the_results_report_pdf_reads_cleanly(demo):
    from amparo.accounts.models import User
    from amparo.results import report
    from amparo.results.models import Framework
    from amparo.results.periods import framework_periods

    director = User.objects.filter(role_assignments__role="director").first()
    for framework in Framework.objects.all():
        periods = framework_periods(framework)
        for period in {periods[0].key: periods[0], periods[-1].key: periods[-1]}.values():
            content = report.pdf(report.build(framework, period, director))
            assert pdf_problems(content) == [], f"{framework.code} {period.label}"


def test_the_watchdogs_draft_report_pdf_reads_cleanly(demo):
    from amparo.policy import report
    from amparo.policy.models import Edition

    for edition in Edition.objects.all():
        assert pdf_problems(report.pdf(report.draft(edition))) == [], edition.code
