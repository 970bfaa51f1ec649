from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "amparo.referrals"
    verbose_name = _("Institutions and referrals")
    default_auto_field = "django.db.models.BigAutoField"
