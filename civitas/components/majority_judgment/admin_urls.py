from django.urls import path

from civitas.components.majority_judgment import admin_views, paper_views

app_name = "majority_judgment_admin"
urlpatterns = [
    path("", admin_views.election_edit, name="index"),
    path("candidates/", admin_views.candidate_add, name="candidate_add"),
    path("candidates/import/", admin_views.import_proposals, name="import"),
    path("candidates/<int:candidate_id>/delete/", admin_views.candidate_delete, name="candidate_delete"),
    path("close/", admin_views.close, name="close"),
    path("keys/", admin_views.counting_keys, name="keys"),
    path("paper/", paper_views.paper_index, name="paper"),
    path("paper/print/", paper_views.print_ballots, name="paper_print_new"),
    path("paper/print/<int:run_id>/", paper_views.print_run, name="paper_print"),
    path("paper/batches/<int:batch_id>/", paper_views.batch_detail, name="paper_batch"),
]
