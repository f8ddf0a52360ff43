"""The back-office pages where organization admins arrange the home page (under /admin/home/)."""

from django.urls import path

from civitas.homepage import views

app_name = "homepage_admin"
urlpatterns = [
    path("", views.block_list, name="blocks"),
    path("new/", views.block_create, name="block_create"),
    path("<int:block_id>/", views.block_edit, name="block_edit"),
    path("<int:block_id>/move/", views.block_move, name="block_move"),
    path("<int:block_id>/visibility/", views.block_visibility, name="block_visibility"),
    path("<int:block_id>/delete/", views.block_delete, name="block_delete"),
]
