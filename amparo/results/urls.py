from django.urls import path

from amparo.results import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("oficinas/", views.offices, name="offices"),
    path("<slug:framework>/", views.framework, name="framework"),
    path("<slug:framework>/informe.<str:fmt>", views.framework_report, name="report"),
    path("<slug:framework>/indicadores/<str:code>/", views.indicator, name="indicator"),
]
