from django.urls import path

from amparo.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("alertas/", views.inbox, name="inbox"),
    path("alertas/reglas/", views.rules, name="rules"),
    path("alertas/instrumento/", views.instrument, name="instrument"),
    path("supervision/", views.supervisor, name="supervision"),
    path("casos/<str:code>/alertas/", views.case_alerts, name="case"),
    path("casos/<str:code>/riesgo/", views.case_risk, name="risk"),
]
