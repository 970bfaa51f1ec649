import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amparo.accounts.models import Office
from amparo.accounts.roles import ORGANISATION_ROLES, Role
from amparo.accounts.services import user_create


class Command(BaseCommand):
    help = "Create a user with one role (the first administrator, for example)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", default=Role.ADMIN.value, choices=[r.value for r in Role])
        parser.add_argument("--office", help="office code, for office roles (lima, cusco, ...)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="read the password from standard input instead of asking for it",
        )

    def handle(self, *args, username, role, office, email, first_name, last_name,
               password_stdin, **options):
        stdin = options.get("stdin", sys.stdin)
        office_obj = None
        if role not in ORGANISATION_ROLES:
            if not office:
                raise CommandError(f"The role '{role}' is held in an office: add --office CODE.")
            office_obj = Office.objects.filter(code=office).first()
            if office_obj is None:
                codes = ", ".join(Office.objects.values_list("code", flat=True)) or "none yet"
                raise CommandError(f"No office '{office}'. Offices: {codes}.")
        if password_stdin:
            password = stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = user_create(
                actor=None, username=username, password=password, email=email,
                first_name=first_name, last_name=last_name, roles=[(role, office_obj)],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Created {user.username} ({role}). At the first sign-in they set up two-step "
            "verification."
        ))
