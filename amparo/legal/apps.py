from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "amparo.legal"
    verbose_name = _("Legal accompaniment")
    default_auto_field = "django.db.models.BigAutoField"
