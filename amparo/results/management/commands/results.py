"""`amparo results load FILE.yaml`: a results framework from its data file (indicators, targets,
how each is computed); loading again adds only what is new."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amparo.results.services import framework_load


class Command(BaseCommand):
    help = "Results frameworks: load one from its data file."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="a framework from a YAML file")
        load.add_argument("file")

    def handle(self, *args, **options):
        try:
            framework = framework_load(options["file"])
        except (ValidationError, KeyError, OSError) as error:
            raise CommandError(f"{options['file']}: {error}") from None
        self.stdout.write(f"{framework.code}: {framework.indicators.count()} indicators")
