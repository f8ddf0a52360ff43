from django.urls import path

from civitas.authorizations import views

app_name = "authorizations"
urlpatterns = [
    path("", views.my_verifications, name="mine"),
    path("census/", views.verify_census, name="census"),
    path("letter/", views.verify_letter, name="letter"),
    path("required/<int:component_id>/<slug:action>/", views.required, name="required"),
]
