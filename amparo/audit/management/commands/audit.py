from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amparo.audit.models import AccessEvent
from amparo.audit.services import anchor_write, anchors_check, chain_verify


class Command(BaseCommand):
    help = ("Access log tools. `amparo audit verify` recomputes the keyed hash chain and checks "
            "it against the anchors; `amparo audit anchor` appends the chain's head to the "
            "anchor file (AMPARO_AUDIT_ANCHOR), outside the database.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain and check the anchors; "
                                               "exit 1 at the first break")
        verify.add_argument(
            "--expect-head", default="",
            help="hash of the last event recorded elsewhere earlier; catches a cut-off tail",
        )
        verify.add_argument("--anchors", default="",
                            help="anchor file to check (default: AMPARO_AUDIT_ANCHOR)")
        anchor = sub.add_parser("anchor", help="append the chain's head to the anchor file; "
                                               "run it on a schedule (cron, every 15 minutes)")
        anchor.add_argument("--to", default="",
                            help="anchor file (default: AMPARO_AUDIT_ANCHOR)")

    def handle(self, *args, action, **options):
        if action == "anchor":
            entry = anchor_write(options["to"] or None)
            self.stdout.write(f"Anchored event #{entry['id']} ({entry['count']} events), "
                              f"head {entry['hash']}, in "
                              f"{options['to'] or settings.AMPARO_AUDIT_ANCHOR}")
            return
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"Access log chain BROKEN at event #{report.broken_id}: {report.problem}. "
                f"{report.checked} events before it are intact."
            )
        expect_head = options["expect_head"]
        if expect_head and not AccessEvent.objects.filter(hash=expect_head).exists():
            raise CommandError(
                "Access log chain intact, but the expected head hash is not in it: events at "
                "the end were removed, or the hash belongs to another database."
            )
        anchors = anchors_check(options["anchors"] or None)
        if anchors.problems:
            raise CommandError("Access log chain intact in itself, but it does not match its "
                               "anchors: " + "; ".join(anchors.problems))
        unkeyed = AccessEvent.objects.filter(key_id="").count()
        self.stdout.write(self.style.SUCCESS(
            f"Access log intact: {report.checked} events. Head: {report.head}"
        ))
        self.stdout.write(
            "No anchor file yet: run `amparo audit anchor` on a schedule." if anchors.missing
            else f"{anchors.checked} anchors match.")
        if unkeyed:
            self.stdout.write(f"{unkeyed} events from before the chain was keyed (plain "
                              "SHA-256), sealed by the first keyed event after them.")
