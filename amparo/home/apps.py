from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top of the layers: the home page gathers each role's work of the day from every app,
    so it may import any of them, and none imports it."""

    name = "amparo.home"
    label = "home"

    def ready(self):
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register("home", 10, NavItem(_("Home"), "home"))
        menu_register("admin", 30, NavItem(_("API tokens"), "tokens:list", "user.manage"))
