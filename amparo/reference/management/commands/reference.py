from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amparo.reference.loaders import ReferenceDataError, load_ubigeo, load_vocabularies
from amparo.reference.models import Department, District, Province, Term, Vocabulary


class Command(BaseCommand):
    help = "Reference data. `amparo reference load` applies the files under reference/data/."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load UBIGEO and vocabularies (idempotent; never deletes)")

    def handle(self, *args, action, **options):
        try:
            with transaction.atomic():
                geo = load_ubigeo(Department, Province, District)
                vocab = load_vocabularies(Vocabulary, Term)
        except ReferenceDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"UBIGEO: {geo.created} created, {geo.updated} updated. "
            f"Vocabulary terms: {vocab.created} created, {vocab.updated} updated, "
            f"{vocab.retired} retired."
        )
