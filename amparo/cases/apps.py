from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amparo.cases"
    verbose_name = _("Case files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.cases.home import HOME_BLOCKS
        from amparo.core.home import home_block_register

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register("cases", 10, NavItem(_("Cases"), "cases:list", "case.view"))
        menu_register(
            "cases", 40,
            NavItem(_("Emergency access"), "cases:glass", "case.break_glass"),
        )
        menu_register(
            "office", 50,
            NavItem(_("Emergency accesses"), "cases:glass_log", "supervision.view"),
        )
