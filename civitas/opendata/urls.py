from django.urls import path

from civitas.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.download, name="download"),
    path("rebuild/", views.rebuild, name="rebuild"),
]
