from django.urls import path

from civitas.people import views

app_name = "people"
urlpatterns = [
    path("<str:token>/", views.accept, name="accept"),
]
