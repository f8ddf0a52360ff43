from django.urls import path

from civitas.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.organization_settings, name="settings"),
    path("captcha/", views.captcha_questions, name="captcha_questions"),
    path("captcha/<int:pk>/", views.captcha_question_edit, name="captcha_question_edit"),
    path("captcha/<int:pk>/delete/", views.captcha_question_delete, name="captcha_question_delete"),
]
