from django.urls import path

from civitas.components.accountability import admin_views

app_name = "accountability_admin"
urlpatterns = [
    path("", admin_views.admin_index, name="index"),
    path("results/new/", admin_views.result_edit, name="result_new"),
    path("results/<int:result_id>/", admin_views.result_edit, name="result"),
    path("results/<int:result_id>/delete/", admin_views.result_delete, name="result_delete"),
    path("results/<int:result_id>/timeline/", admin_views.timeline_add, name="timeline_add"),
    path("statuses/", admin_views.status_add, name="status_add"),
    path("statuses/<int:status_id>/", admin_views.status_edit, name="status"),
    path("statuses/<int:status_id>/delete/", admin_views.status_delete, name="status_delete"),
    path("import/csv/", admin_views.import_csv, name="import_csv"),
    path("import/winners/", admin_views.import_winners, name="import_winners"),
    path("import/proposals/", admin_views.import_proposals, name="import_proposals"),
]
