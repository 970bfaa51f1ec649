from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "amparo.prevention"
    verbose_name = _("Prevention and training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.prevention.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "prevention", 10,
            NavItem(_("Prevention"), "prevention:dashboard", "prevention.view"),
            NavItem(_("Activities"), "prevention:activities", "prevention.view"),
            NavItem(_("Activity calendar"), "prevention:calendar", "prevention.view"),
            NavItem(_("Participants to review"), "prevention:review", "prevention.manage"),
        )
