from django.urls import path

from amparo.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.vocabularies, name="vocabularies"),
    path("ubigeo/selector/", views.ubigeo_picker, name="ubigeo_picker"),
    path("<slug:code>/", views.vocabulary_detail, name="vocabulary"),
]
