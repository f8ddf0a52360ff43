from django.urls import path

from civitas.authorizations import permission_views, views

app_name = "authorizations_admin"
urlpatterns = [
    path("census/", views.census_admin, name="census"),
    path("letters/", views.letters_admin, name="letters"),
    path("letters/<int:batch_id>/revoke/", views.letters_revoke, name="letters_revoke"),
    path(
        "spaces/<int:space_id>/components/<int:component_id>/",
        permission_views.component_requirements,
        name="component",
    ),
]
