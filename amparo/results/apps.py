from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "amparo.results"
    verbose_name = _("Results and indicators")
    default_auto_field = "django.db.models.BigAutoField"
