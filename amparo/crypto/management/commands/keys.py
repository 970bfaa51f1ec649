from django.core.management.base import BaseCommand, CommandError

from amparo.crypto.keyring import KeyringError, generate_entry


class Command(BaseCommand):
    help = (
        "Key ring tools. `amparo keys generate ID` prints a new key entry for AMPARO_KEYRING; "
        "`amparo keys rotate` rewraps every data key and TOTP secret under the first key."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="print a new 'id:base64key' entry")
        generate.add_argument("key_id", nargs="?", default="k1")
        sub.add_parser("rotate", help="rewrap data keys and TOTP secrets under the current key")

    def handle(self, *args, action, key_id="k1", **options):
        if action == "generate":
            try:
                self.stdout.write(generate_entry(key_id))
            except KeyringError as error:
                raise CommandError(str(error)) from None
            return
        from django.conf import settings

        from amparo.audit.services import event_record
        from amparo.crypto.services import keys_rotate

        report = keys_rotate()
        current = settings.AMPARO_KEYRING.current_id
        resealed = "".join(f", {n} {name}" for name, n in report.resealed.items())
        event_record(action="update", object_type="keyring", object_id=current,
                     reason=f"keys rotate: {report.data_keys} data keys{resealed} rewrapped")
        self.stdout.write(f"Rewrapped {report.data_keys} data keys{resealed} under key "
                          f"'{current}'.")
        if report.remaining_by_key:
            raise CommandError(f"Data keys still wrapped by other keys: {report.remaining_by_key}")
        from django.db.models import Count

        from amparo.audit.models import AccessEvent

        others = [k for k in settings.AMPARO_KEYRING.keys if k != current]
        signed = dict(AccessEvent.objects.filter(key_id__in=others).values_list("key_id")
                      .annotate(n=Count("id")).order_by())
        free = [k for k in others if k not in signed]
        if free:
            self.stdout.write("Nothing depends on " + ", ".join(free)
                              + " any more; it can be removed from AMPARO_KEYRING.")
        for key_id, n in sorted(signed.items()):
            self.stdout.write(f"Keep '{key_id}' in AMPARO_KEYRING: it signed {n} access log "
                              "events, which `amparo audit verify` checks with it.")
