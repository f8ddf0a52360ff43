from django.urls import path

from civitas.system import views

app_name = "system"
urlpatterns = [
    path("", views.organization_list, name="organizations"),
    path("login/", views.system_login, name="login"),
    path("logout/", views.system_logout, name="logout"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_edit, name="organization_edit"),
]
