from django.core.management.base import BaseCommand

from amparo.referrals.services import referrals_remind


class Command(BaseCommand):
    help = ("`amparo referrals remind`: e-mail each referrer once about referrals with no answer "
            "past their date (AMPARO_REFERRAL_ANSWER_DAYS). Run it daily from cron.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args, action, **options):
        count = referrals_remind()
        self.stdout.write(f"Reminded about {count} referral(s) without an answer.")
