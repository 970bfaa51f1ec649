from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"

    def ready(self):
        from amparo.accounts.home import HOME_BLOCKS
        from amparo.core.home import home_block_register

        home_block_register(*HOME_BLOCKS)  # its blocks on the home page (core names no app)
        from amparo.core.navigation import NavItem, menu_register

        # Its entries in the main menu (core names no app).
        menu_register(
            "admin", 10,
            NavItem(_("Users"), "accounts:users", "user.manage"),
            NavItem(_("Roles to approve"), "accounts:grants", "role.approve"),
        )
        menu_register("admin", 40, NavItem(_("Offices"), "accounts:offices", "office.manage"))

        # allauth announces a new authenticator only through its signal; we record it.
        from allauth.mfa.signals import authenticator_added

        from amparo.accounts.adapter import second_factors_reseal
        from amparo.accounts.audit import record_authenticator_added
        from amparo.accounts.changes import reasons_reseal
        from amparo.crypto.services import resealer_register

        authenticator_added.connect(record_authenticator_added, dispatch_uid="amparo_mfa_added")
        # Key rotation reseals the second factors' secrets without crypto importing accounts.
        resealer_register("second-factor secrets", second_factors_reseal)
        resealer_register("account change reasons", reasons_reseal)
