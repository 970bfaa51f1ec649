from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "amparo.prevention"
    verbose_name = _("Prevention and training")
    default_auto_field = "django.db.models.BigAutoField"
