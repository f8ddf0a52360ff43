from django.urls import path

from civitas.ballotbox import views

app_name = "ballotbox"
urlpatterns = [
    path("trustee/<str:token>/", views.trustee_key, name="trustee_key"),
]
