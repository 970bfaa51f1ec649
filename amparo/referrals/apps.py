from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "amparo.referrals"
    verbose_name = _("Institutions and referrals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "cases", 20,
            NavItem(_("Referrals"), "referrals:office", "case.view"),
            NavItem(_("Institutions"), "referrals:institutions", "institution.view"),
        )

        from amparo.cases.extensions import IntakePart, intake_part_register
        from amparo.referrals.forms import IncomingReferralForm
        from amparo.referrals.services import intake_part_save

        intake_part_register(IntakePart(
            name="referred", form=IncomingReferralForm,
            template="referrals/_intake_part.html", save=intake_part_save))
