from django.urls import path

from civitas.identity import admin_views

app_name = "identity_admin"
urlpatterns = [
    path("", admin_views.provider_list, name="providers"),
    path("new/", admin_views.provider_edit, name="provider_new"),
    path("<int:provider_id>/", admin_views.provider_edit, name="provider_edit"),
]
