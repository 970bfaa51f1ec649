from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amparo.accounts.models import User
from amparo.api.models import ApiToken
from amparo.api.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = ("API tokens. `amparo token create USERNAME` prints a new token once; "
            "`amparo token list USERNAME`; `amparo token revoke PREFIX`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="api")
        create.add_argument("--days", type=int, default=30)
        create.add_argument("--reason", required=True,
                            help="what the token is for, and who asked (recorded in the log)")
        listing = sub.add_parser("list")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user named {options['username']!r}.")
            try:  # the service checks the days (at most MAX_DAYS) and the reason
                token, secret = token_create(user=user, name=options["name"],
                                             days=options["days"], reason=options["reason"])
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(secret)
            self.stderr.write(f"Token {token.prefix}… for {user.username}, valid until "
                              f"{token.expires_at:%Y-%m-%d}. It is shown only now; send it as "
                              "'Authorization: Bearer <token>'.")
        elif action == "list":
            for token in ApiToken.objects.filter(user__username=options["username"]):
                state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
                self.stdout.write(f"{token.prefix}  {token.name}  {state}")
        else:
            token = ApiToken.objects.filter(prefix=options["prefix"]).first()
            if token is None:
                raise CommandError("No token with that prefix.")
            token_revoke(token=token)
            self.stdout.write(f"Token {token.prefix}… revoked.")
