from django.urls import path

from civitas.system import views

app_name = "system"
urlpatterns = [
    path("", views.organization_list, name="organizations"),
    path("login/", views.system_login, name="login"),
    path("login/verify/", views.system_login_verify, name="login_verify"),
    path("logout/", views.system_logout, name="logout"),
    path("two-factor/", views.two_factor_settings, name="two_factor"),
    path("two-factor/setup/<str:token>/", views.two_factor_setup_link, name="two_factor_setup"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_edit, name="organization_edit"),
]
