from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "amparo.research"
    verbose_name = _("Research")
    default_auto_field = "django.db.models.BigAutoField"
