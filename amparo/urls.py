from django.urls import include, path

from amparo.core import views as core_views
from amparo.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("inicio/<slug:key>/", home_views.block, name="home_block"),
    path("mi-cuenta/", core_views.account, name="account"),
    path("salud/", core_views.health, name="health"),
    path("cuenta/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("casos/", include("amparo.cases.urls")),
    path("", include("amparo.legal.urls")),
    path("", include("amparo.referrals.urls")),
    path("", include("amparo.monitoring.urls")),
    path("", include("amparo.imports.urls")),
    path("", include("amparo.linkage.urls")),
    path("prevencion/", include("amparo.prevention.urls")),
    path("politica/", include("amparo.policy.urls")),
    path("resultados/", include("amparo.results.urls")),
    path("investigacion/", include("amparo.research.urls")),
    path("api/v1/", include("amparo.api.urls")),
    path("gestion/tokens/", include("amparo.home.keys")),
    path("gestion/", include("amparo.accounts.urls")),
    path("auditoria/", include("amparo.audit.urls")),
    path("referencia/", include("amparo.reference.urls")),
]

handler403 = "amparo.core.views.error_403"
handler404 = "amparo.core.views.error_404"
handler500 = "amparo.core.views.error_500"
