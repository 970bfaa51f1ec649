import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from amparo.cases.models import Case
from amparo.demo.cases import cases_seed
from amparo.demo.institutions import institutions_seed
from amparo.demo.legacy import legacy_register
from amparo.demo.missing import missing_alerts
from amparo.demo.policy import policy_seed
from amparo.demo.prevention import attendance_list, prevention_seed
from amparo.demo.research import research_seed
from amparo.demo.results import results_seed
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
        activities = prevention_seed(seed=seed)
        if activities:
            self.stdout.write(f"Added {activities} fictitious prevention activities (five years).")
        editions = policy_seed(seed=seed)
        if editions:
            self.stdout.write(f"Added {editions} fictitious editions of the watchdog's report "
                              "(watchdog).")
        frameworks = results_seed()
        if frameworks:
            self.stdout.write(f"Loaded {frameworks} results frameworks with values computed "
                              "from the demo records (director).")
        studies = research_seed(seed=seed) if Case.objects.exists() else 0
        if studies:
            self.stdout.write(f"Added {studies} research studies with excerpts, codings, an "
                              "export and noisy releases (researcher, researcher2, director).")
        listing = attendance_list(Path(settings.VAR_DIR) / "demo", seed=seed)
        if listing:
            self.stdout.write(f"An attendance list to import (cusco.prevention, the activity's "
                              f"page): {listing}")
        register = Path(settings.VAR_DIR) / "demo" / "registro-antiguo-maldonado.xlsx"
        if not register.exists():
            legacy_register(register, rows=400, first_year=2011, last_year=2015, errors=0.03)
        self.stdout.write(f"A fictitious old register to try the import with (maldonado."
                          f"coordinator, menu Importar): {register}")
        self._missing(if_empty)
        width = max(len(u) for u, _ in logins)
        self.stdout.write(f"\nDemo logins (password: {settings.AMPARO_DEMO_PASSWORD})\n")
        for username, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write("")

    def _missing(self, if_empty: bool) -> None:
        """Last month's police alerts imported and matched (the review queue has pairs to
        decide on); this month's written to a file to upload."""
        from amparo.accounts.models import User
        from amparo.linkage.models import MatchRun, MissingReport
        from amparo.linkage.services import reports_import
        from amparo.linkage.tasks import match_execute

        if not Case.objects.exists():
            return
        folder = Path(settings.VAR_DIR) / "demo"
        today = timezone.localdate().replace(day=1)
        previous = (today - timedelta(days=1)).replace(day=1)
        coordinator = User.objects.get(username="lima.coordinator")
        if not (if_empty and MissingReport.objects.exists()):
            path = missing_alerts(folder / f"alertas-pnp-{previous:%Y-%m}.csv", month=previous)
            with translation.override("es"):
                result = reports_import(actor=coordinator, content=path.read_bytes(),
                                        name=path.name, source="alerta_pnp")
            run = MatchRun.objects.create(started_by=coordinator)  # run here, not queued
            match_execute.call(str(run.pk), [], [])
            run.refresh_from_db()
            self.stdout.write(f"Imported {len(result.created)} fictitious police alerts and "
                              f"matched them: {run.proposed} pairs to review.")
        upload = folder / f"alertas-pnp-{today:%Y-%m}.csv"
        if not upload.exists():
            missing_alerts(upload, month=today)
        self.stdout.write(f"This month's fictitious alerts to upload (lima.coordinator, menu "
                          f"Coincidencias → Reportes): {upload}")
