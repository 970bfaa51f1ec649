from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "amparo.policy"
    verbose_name = _("Policy watchdog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.policy.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "watchdog", 10,
            NavItem(_("Summary"), "policy:dashboard", "policy.view"),
            NavItem(_("Services of the policy"), "policy:services", "policy.view"),
            NavItem(_("Information requests"), "policy:requests", "policy.view"),
            NavItem(_("Regional instruments"), "policy:instruments", "policy.view"),
        )
