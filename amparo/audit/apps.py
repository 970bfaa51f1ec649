from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "amparo.audit"
    label = "audit"

    def ready(self):
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register("admin", 50, NavItem(_("Access log"), "audit:events", "audit.view"))
