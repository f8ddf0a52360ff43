from django.urls import path

from civitas.spam import views

app_name = "spam"
urlpatterns = [
    path("", views.spam_admin, name="admin"),
]
