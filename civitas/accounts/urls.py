from django.contrib.auth import views as auth_views
from django.urls import path

from civitas.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.sign_up, name="signup"),
    path("signup/done/", views.sign_up_done, name="signup_done"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("login/", views.log_in, name="login"),
    path("login/verify/", views.log_in_verify, name="login_verify"),
    path("logout/", views.log_out, name="logout"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("settings/", views.account_settings, name="settings"),
    path("settings/email/", views.change_email, name="change_email"),
    path("settings/password/", views.PasswordChangeView.as_view(), name="change_password"),
    path("settings/two-factor/", views.two_factor_settings, name="two_factor"),
    path("settings/two-factor/setup/<str:token>/", views.two_factor_setup_link, name="two_factor_setup"),
    path("settings/my-data/", views.my_data, name="my_data"),
    path("settings/delete/", views.delete_account, name="delete_account"),
]
