from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "amparo.reference"
    label = "reference"

    def ready(self):
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "admin", 60,
            NavItem(_("Reference data"), "reference:vocabularies", "reference.view"),
        )
