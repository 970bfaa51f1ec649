from django.urls import path

from amparo.referrals import views

app_name = "referrals"
urlpatterns = [
    path("casos/<str:code>/derivaciones/", views.case_referrals, name="case"),
    path("derivaciones/", views.office_referrals, name="office"),
    path("instituciones/", views.institution_list, name="institutions"),
    path("instituciones/nueva/", views.institution_edit, name="institution_new"),
    path("instituciones/<int:pk>/", views.institution_edit, name="institution"),
]
