from django.core.management.base import BaseCommand, CommandError

from amparo.crypto.keyring import KeyringError, generate_entry


class Command(BaseCommand):
    help = "Key ring tools. `amparo keys generate ID` prints a new key entry for AMPARO_KEYRING."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="print a new 'id:base64key' entry")
        generate.add_argument("key_id", nargs="?", default="k1")

    def handle(self, *args, action, key_id="k1", **options):
        try:
            self.stdout.write(generate_entry(key_id))
        except KeyringError as error:
            raise CommandError(str(error)) from None
