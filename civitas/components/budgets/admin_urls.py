from django.urls import path

from civitas.components.budgets import admin_views

app_name = "budgets_admin"
urlpatterns = [
    path("", admin_views.budget_admin_index, name="index"),
    path("close/", admin_views.close_vote, name="close"),
    path("<int:budget_id>/", admin_views.budget_edit, name="budget"),
    path("<int:budget_id>/delete/", admin_views.budget_delete, name="budget_delete"),
    path("<int:budget_id>/keys/", admin_views.counting_keys, name="keys"),
    path("<int:budget_id>/import/", admin_views.import_proposals, name="import"),
    path("<int:budget_id>/projects/new/", admin_views.project_edit, name="project_new"),
    path("<int:budget_id>/projects/<int:project_id>/", admin_views.project_edit, name="project"),
    path(
        "<int:budget_id>/projects/<int:project_id>/delete/", admin_views.project_delete, name="project_delete"
    ),
]
