from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "amparo.legal"
    verbose_name = _("Legal accompaniment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.legal.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "justice", 10,
            NavItem(_("Proceedings"), "legal:office", "proceeding.view"),
            NavItem(_("Hearings and deadlines"), "legal:calendar", "proceeding.view"),
        )
