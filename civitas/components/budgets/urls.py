from django.urls import path

from civitas.components.budgets import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_index, name="index"),
    path("<int:budget_id>/", views.budget_detail, name="budget"),
    path("<int:budget_id>/projects/<int:project_id>/", views.project_detail, name="project"),
    path("<int:budget_id>/projects/<int:project_id>/add/", views.order_add, name="add"),
    path("<int:budget_id>/projects/<int:project_id>/remove/", views.order_remove, name="remove"),
    path("<int:budget_id>/checkout/", views.order_checkout, name="checkout"),
    path("<int:budget_id>/vote/", views.order_vote, name="vote"),
    path("<int:budget_id>/check/", views.check_receipt, name="check_receipt"),
    path("<int:budget_id>/sealed.jsonl", views.sealed_file, name="sealed_file"),
]
