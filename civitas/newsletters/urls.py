from django.urls import path

from civitas.newsletters import views

app_name = "newsletters"
urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
