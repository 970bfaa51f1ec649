from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amparo.core.serving import serve, workers_for


class Command(BaseCommand):
    help = ("Serve Amparo in production with gunicorn (sync workers sized from the cores, "
            "timeouts, an access log without query strings). Put nginx with TLS in front.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000",
                            help="address:port or unix:/path (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"worker processes (default {workers_for()} on this machine)")
        parser.add_argument("--timeout", type=int, default=60,
                            help="seconds before a stuck request's worker is replaced")
        parser.add_argument("--access-log", default="-",
                            help="file for the access log, '-' for standard output, '' for none")

    def handle(self, *args, bind, workers, timeout, access_log, **options):
        if settings.AMPARO_DEMO or settings.DEBUG:
            raise CommandError("`amparo serve` is the production server: unset AMPARO_DEMO and "
                               "AMPARO_DEBUG (the demo runs with `make demo`).")
        if workers is not None and workers < 1:
            raise CommandError("--workers must be 1 or more.")
        serve(bind=bind, workers=workers, timeout=timeout, access_log=access_log or None)
