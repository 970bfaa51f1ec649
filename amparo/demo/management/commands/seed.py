import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from amparo.cases.models import Case
from amparo.demo.cases import cases_seed
from amparo.demo.institutions import institutions_seed
from amparo.demo.legacy import legacy_register
from amparo.demo.services import demo_users_seed
from amparo.monitoring.refresh import alerts_refresh


class Command(BaseCommand):
    help = ("Fill a demo database with fictitious data: offices' staff, one user per role, and "
            "with --cases N, N synthetic case files.")

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=0, help="how many cases to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same data each run)")
        parser.add_argument("--if-empty", action="store_true",
                            help="add the cases only when the database has none (for make demo)")

    def handle(self, *args, cases=0, seed=1, if_empty=False, **options):
        if not settings.AMPARO_DEMO:
            raise CommandError("`amparo seed` only runs in demo mode (AMPARO_DEMO=1): it creates "
                               "accounts with a known password and fictitious cases.")
        if cases < 0:
            raise CommandError("--cases must be zero or more.")
        with translation.override("es"):
            logins = demo_users_seed()
        added = institutions_seed()
        if added:
            self.stdout.write(f"Added {added} institutions to the demo directory.")
        if cases and not (if_empty and Case.objects.exists()):
            started = time.perf_counter()
            cases_seed(count=cases, seed=seed)
            self.stdout.write(f"Added {cases} synthetic cases in "
                              f"{time.perf_counter() - started:.1f} s.")
            run = alerts_refresh()
            self.stdout.write(f"Computed the alerts: {run.live} open.")
        register = Path(settings.VAR_DIR) / "demo" / "registro-antiguo-maldonado.xlsx"
        if not register.exists():
            legacy_register(register, rows=400, first_year=2011, last_year=2015, errors=0.03)
        self.stdout.write(f"A fictitious old register to try the import with (maldonado."
                          f"coordinator, menu Importar): {register}")
        width = max(len(u) for u, _ in logins)
        self.stdout.write("\nDemo logins (password: %s)\n" % settings.AMPARO_DEMO_PASSWORD)
        for username, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write("")
