from django.urls import path

from amparo.prevention import views

app_name = "prevention"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("actividades/", views.activity_list, name="activities"),
    path("calendario/", views.calendar, name="calendar"),
    path("actividades/nueva/", views.activity_edit, name="activity_new"),
    path("actividades/<str:code>/", views.activity_detail, name="activity"),
    path("actividades/<str:code>/editar/", views.activity_edit, name="activity_edit"),
    path("actividades/<str:code>/documentos/<uuid:pk>/", views.activity_document,
         name="document"),
    path("participantes/revisar/", views.review, name="review"),
]
