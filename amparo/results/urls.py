from django.urls import path

from amparo.results import views

app_name = "results"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:framework>/", views.framework, name="framework"),
    path("<slug:framework>/indicadores/<str:code>/", views.indicator, name="indicator"),
]
