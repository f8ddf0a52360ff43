from django.urls import path

from civitas.communes import views

app_name = "communes"

urlpatterns = [
    path("", views.portal, name="portal"),
]
