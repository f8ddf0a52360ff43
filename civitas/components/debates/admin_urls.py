from django.urls import path

from civitas.components.debates import admin_views

app_name = "debates_admin"
urlpatterns = [
    path("", admin_views.debate_admin_index, name="index"),
    path("new/", admin_views.debate_edit, name="create"),
    path("<int:debate_id>/", admin_views.debate_edit, name="edit"),
    path("<int:debate_id>/publish/", admin_views.debate_publish, name="publish"),
    path("<int:debate_id>/close/", admin_views.debate_close, name="close"),
]
