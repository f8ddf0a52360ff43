from django.urls import path

from civitas.components.blog import admin_views

app_name = "blog_admin"
urlpatterns = [
    path("", admin_views.post_admin_index, name="index"),
    path("new/", admin_views.post_edit, name="create"),
    path("<int:post_id>/", admin_views.post_edit, name="edit"),
    path("<int:post_id>/delete/", admin_views.post_delete, name="delete"),
]
