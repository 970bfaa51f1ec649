import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from amparo.imports.parsers import Unreadable
from amparo.imports.propose import propose, to_yaml
from amparo.imports.workbook import BadFile


class Command(BaseCommand):
    help = ("`amparo import propose FILE.xlsx > mapping.yaml`: read a workbook's (or a CSV's) "
            "headers and values and print a mapping to check, marking what needs a decision.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["propose"])
        parser.add_argument("file")
        parser.add_argument("--office", default="lima",
                            help="default office for rows that do not say (its code)")
        parser.add_argument("--sheets", nargs="*", default=None, help="only these sheets")
        parser.add_argument("--header-row", default="auto",
                            help='row that holds the headers, or "auto"')

    def handle(self, *args, action, file, office, sheets, header_row, **options):
        with translation.override("es"):  # the people who run it read Spanish
            try:
                proposal = propose(file, office=office, sheets=sheets or "*",
                                   header_row=header_row)
            except (BadFile, Unreadable) as error:
                raise CommandError(str(error)) from None
        sys.stdout.write(to_yaml(proposal))
