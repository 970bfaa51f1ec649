from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from amparo.demo.services import demo_users_seed


class Command(BaseCommand):
    help = "Fill a demo database with fictitious data: offices' staff, one user per role."

    def handle(self, *args, **options):
        if not settings.AMPARO_DEMO:
            raise CommandError("`amparo seed` only runs in demo mode (AMPARO_DEMO=1): it creates "
                               "accounts with a known password.")
        with translation.override("es"):
            logins = demo_users_seed()
        width = max(len(u) for u, _ in logins)
        self.stdout.write("\nDemo logins (password: %s)\n" % settings.AMPARO_DEMO_PASSWORD)
        for username, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write("")
