from django.urls import path

from civitas.authorizations import views

app_name = "authorizations_admin"
urlpatterns = [path("census/", views.census_admin, name="census")]
