from django.urls import path

from amparo.accounts import views

app_name = "accounts"
urlpatterns = [
    path("usuarios/", views.users, name="users"),
    path("usuarios/nuevo/", views.user_new, name="user_new"),
    path("usuarios/roles-por-aprobar/", views.grants, name="grants"),
    path("usuarios/<int:pk>/", views.user_detail, name="user"),
    path("usuarios/<int:pk>/desactivar/", views.user_deactivate, name="user_deactivate"),
    path("usuarios/<int:pk>/reactivar/", views.user_reactivate, name="user_reactivate"),
    path("usuarios/<int:pk>/restablecer-verificacion/", views.user_mfa_reset,
         name="user_mfa_reset"),
    path("confirmar/<str:token>/", views.change_confirm, name="change_confirm"),
    path("oficinas/", views.offices, name="offices"),
    path("oficinas/nueva/", views.office_edit, name="office_new"),
    path("oficinas/<slug:code>/", views.office_edit, name="office"),
]
