from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "amparo.linkage"
    verbose_name = _("Missing-person reports and record linkage")
    default_auto_field = "django.db.models.BigAutoField"
