from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "amparo.research"
    verbose_name = _("Research")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.research.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "office", 20,
            NavItem(_("Research studies"), "research:index", "research.view"),
            NavItem(_("Excerpts for research"), "research:excerpts", "research.excerpt"),
        )
