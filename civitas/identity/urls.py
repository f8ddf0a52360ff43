from django.urls import path

from civitas.identity import views

app_name = "identity"
urlpatterns = [
    path("<int:provider_id>/start/", views.start, name="start"),
    path("<int:provider_id>/callback/", views.callback, name="callback"),
    path("sign-up/", views.finish_sign_up, name="finish_sign_up"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/unlink/<int:account_id>/", views.unlink, name="unlink"),
    path("logged-out/", views.logged_out, name="logged_out"),
]
