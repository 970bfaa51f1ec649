from django.urls import path

from amparo.imports import views

app_name = "imports"
urlpatterns = [
    path("importar/", views.runs, name="runs"),
    path("importar/<uuid:run_id>/", views.run, name="run"),
    path("importar/<uuid:run_id>/informe.xlsx", views.report, name="report"),
    path("importar/asistencia/<str:code>/", views.attendance_upload, name="attendance"),
]
