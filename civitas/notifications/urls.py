from django.urls import path

from civitas.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
]
