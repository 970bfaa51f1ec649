from django.core.management.base import BaseCommand, CommandError

from amparo.audit.models import AccessEvent
from amparo.audit.services import chain_verify


class Command(BaseCommand):
    help = "Access log tools. `amparo audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain; exit 1 at the first break")
        verify.add_argument(
            "--expect-head", default="",
            help="hash of the last event recorded elsewhere earlier; catches a cut-off tail",
        )

    def handle(self, *args, action, expect_head="", **options):
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"Access log chain BROKEN at event #{report.broken_id}: {report.problem}. "
                f"{report.checked} events before it are intact."
            )
        if expect_head and not AccessEvent.objects.filter(hash=expect_head).exists():
            raise CommandError(
                "Access log chain intact, but the expected head hash is not in it: events at "
                "the end were removed, or the hash belongs to another database."
            )
        self.stdout.write(self.style.SUCCESS(
            f"Access log intact: {report.checked} events. Head: {report.head}"
        ))
