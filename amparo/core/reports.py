"""Reports drawn from an HTML template: laid out in pages by WeasyPrint (the PDF), the same
charts as on screen inline as SVG. Shared by every app that prints a report."""

from __future__ import annotations

from django.template.loader import render_to_string


def laid_out(template: str, context: dict):
    """The report laid out in pages (its pages and bookmarks can be read, as tests do)."""
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).render()


def pdf(template: str, context: dict) -> bytes:
    return laid_out(template, context).write_pdf()
