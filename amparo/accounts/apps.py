from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    label = "accounts"

    def ready(self):
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
