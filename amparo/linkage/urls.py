from django.urls import path

from amparo.linkage import views

app_name = "linkage"
urlpatterns = [
    path("coincidencias/", views.queue, name="queue"),
    path("coincidencias/<int:pk>/", views.candidate, name="candidate"),
    path("coincidencias/reportes/", views.reports, name="reports"),
]
