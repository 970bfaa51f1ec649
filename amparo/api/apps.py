from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "amparo.api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amparo.accounts.changes import reasons_reseal
        from amparo.api.models import ApiToken
        from amparo.crypto.services import resealer_register

        # Key rotation reseals what each token is for (sealed under the key ring).
        resealer_register("API token reasons",
                          lambda current: reasons_reseal(current, model=ApiToken))
