from django.urls import path

from civitas.components.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_index, name="index"),
    path("calendar.ics", views.space_calendar, name="space_calendar"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/register/", views.register, name="register"),
    path("<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("<int:meeting_id>/calendar.ics", views.meeting_calendar, name="calendar"),
]
