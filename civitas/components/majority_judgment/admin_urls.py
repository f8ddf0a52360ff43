from django.urls import path

from civitas.components.majority_judgment import admin_views

app_name = "majority_judgment_admin"
urlpatterns = [
    path("", admin_views.election_edit, name="index"),
    path("candidates/", admin_views.candidate_add, name="candidate_add"),
    path("candidates/import/", admin_views.import_proposals, name="import"),
    path("candidates/<int:candidate_id>/delete/", admin_views.candidate_delete, name="candidate_delete"),
    path("close/", admin_views.close, name="close"),
]
