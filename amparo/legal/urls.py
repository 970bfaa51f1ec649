from django.urls import path

from amparo.legal import views

app_name = "legal"
urlpatterns = [
    path("casos/<str:code>/proceso/", views.case_legal, name="case"),
    path("casos/<str:code>/proceso/<uuid:pk>/", views.proceeding, name="proceeding"),
    path("procesos/", views.office_proceedings, name="office"),
    path("procesos/calendario/", views.calendar, name="calendar"),
    path("procesos/calendario/direccion/", views.calendar_feed, name="calendar_feed"),
    path("procesos/calendario/<str:token>.ics", views.ical_feed, name="ical"),
    path("procesos/plazos/", views.deadline_rules, name="rules"),
]
