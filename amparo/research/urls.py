from django.urls import path

from amparo.research import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("nuevo/", views.study_form, name="new"),
    path("presupuesto/", views.ledger, name="ledger"),
    path("extractos/", views.excerpts, name="excerpts"),
    path("<int:study>/", views.study, name="study"),
    path("<int:study>/editar/", views.study_form, name="edit"),
    path("<int:study>/exportar.<str:fmt>", views.study_export, name="export"),
    path("<int:study>/temas.xlsx", views.study_themes, name="themes"),
    path("<int:study>/codificar/", views.coding, name="coding"),
    path("<int:study>/extractos/", views.excerpt_case, name="excerpt_case"),
]
