from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "amparo.linkage"
    verbose_name = _("Missing-person reports and record linkage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.core.home import home_block_register
        from amparo.linkage.home import HOME_BLOCKS

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register("office", 70, NavItem(_("Matches"), "linkage:queue", "linkage.review"))

        from amparo.cases.extensions import people_changed_register
        from amparo.linkage.services import people_match

        # Called by the intake and the identity correction, after their commit; the import
        # queues its own run when it finishes.
        people_changed_register("linkage", people_match)
