from django.urls import path

from amparo.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("nuevo/", views.intake, name="intake"),
    path("emergencia/", views.glass_open, name="glass"),
    path("emergencia/registro/", views.glass_log, name="glass_log"),
    path("<str:code>/", views.case_summary, name="case"),
    path("<str:code>/editar/", views.case_edit, name="edit"),
    path("<str:code>/equipo/", views.case_assign, name="assign"),
    path("<str:code>/estado/", views.case_status, name="status"),
    path("<str:code>/cierre/", views.case_close, name="close"),
    path("<str:code>/identidad/", views.identity, name="identity"),
    path("<str:code>/que-paso/", views.episodes, name="episodes"),
    path("<str:code>/que-paso/<uuid:pk>/", views.episodes, name="episode"),
    path("<str:code>/consentimientos/", views.consents, name="consents"),
    path("<str:code>/valoraciones/", views.assessments, name="assessments"),
    path("<str:code>/plan/", views.plan, name="plan"),
    path("<str:code>/plan/<int:pk>/aprobar/", views.plan_approve, name="plan_approve"),
    path("<str:code>/plan/meta/<int:goal>/accion/", views.plan_action_add, name="plan_action_add"),
    path("<str:code>/plan/accion/<int:pk>/", views.plan_action_update, name="plan_action"),
    path("<str:code>/atenciones/", views.services_tab, name="services"),
    path("<str:code>/seguimiento/", views.follow_ups, name="follow_ups"),
    path("<str:code>/notas/", views.notes, name="notes"),
    path("<str:code>/documentos/", views.documents_tab, name="documents"),
    path("<str:code>/documentos/<uuid:pk>/", views.document_download, name="document"),
    path("<str:code>/linea-de-tiempo/", views.timeline, name="timeline"),
    path("<str:code>/accesos/", views.accesses, name="accesses"),
]
