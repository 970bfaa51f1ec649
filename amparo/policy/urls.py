from django.urls import path

from amparo.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("estructura/cargar/", views.structure_load, name="structure_load"),
    path("estructura/", views.structure, name="structure"),
    path("servicios/", views.service_list, name="services"),
    path("servicios/<int:pk>/", views.service_detail, name="service"),
    path("solicitudes/", views.request_list, name="requests"),
    path("solicitudes/<str:code>/", views.request_detail, name="request"),
    path("solicitudes/<str:code>/documentos/<uuid:pk>/", views.request_document,
         name="request_document"),
    path("instrumentos/", views.instrument_list, name="instruments"),
    path("instrumentos/<int:pk>/", views.instrument_list, name="instrument"),
    path("ediciones/nueva/", views.edition_detail, name="edition_new"),
    path("ediciones/<str:code>/", views.edition_detail, name="edition"),
    path("ediciones/<str:code>/informe.<str:fmt>", views.edition_report, name="report"),
    path("comparar/", views.comparison, name="comparison"),
]
