from django.urls import path

from civitas.authorizations import views

app_name = "authorizations"
urlpatterns = [path("census/", views.verify_census, name="census")]
