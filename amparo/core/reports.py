"""Reports drawn from an HTML template: laid out in pages by WeasyPrint (the PDF), the same
charts as on screen inline as SVG. Shared by every app that prints a report."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass
class Table:
    """A table of a report, as both the PDF and the XLSX show it."""

    title: str
    columns: list[str]
    rows: list[list]


def laid_out(template: str, context: dict):
    """The report laid out in pages (its pages and bookmarks can be read, as tests do)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).render()


def pdf(template: str, context: dict) -> bytes:
    return laid_out(template, context).write_pdf()
