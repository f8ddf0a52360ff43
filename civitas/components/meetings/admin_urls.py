from django.urls import path

from civitas.components.meetings import admin_views

app_name = "meetings_admin"
urlpatterns = [
    path("", admin_views.meeting_admin_index, name="index"),
    path("new/", admin_views.meeting_edit, name="create"),
    path("<int:meeting_id>/", admin_views.meeting_edit, name="edit"),
    path("<int:meeting_id>/publish/", admin_views.meeting_publish, name="publish"),
    path("<int:meeting_id>/close/", admin_views.meeting_close, name="close"),
    path("<int:meeting_id>/registrations/", admin_views.meeting_registrations, name="registrations"),
]
