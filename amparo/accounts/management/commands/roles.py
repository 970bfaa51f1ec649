from django.core.management.base import BaseCommand
from django.utils import translation

from amparo.accounts.permissions import render_markdown


class Command(BaseCommand):
    help = "Print the permission matrix (as Markdown: the content of docs/roles.md)."

    def add_arguments(self, parser):
        parser.add_argument("--markdown", action="store_true", help="Markdown table (default)")

    def handle(self, *args, **options):
        with translation.override("en"):
            self.stdout.write(render_markdown(), ending="")
