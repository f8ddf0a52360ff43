from django.urls import path

from civitas.components.surveys import admin_views as views

app_name = "surveys_admin"
urlpatterns = [
    path("", views.survey_admin_index, name="index"),
    path("questions/new/", views.question_edit, name="question_new"),
    path("questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("close/", views.close, name="close"),
    path("keys/", views.counting_keys, name="keys"),
    path("publish/", views.publish_results, name="publish"),
    path("results/", views.admin_results, name="results"),
    path("results/hide/", views.hide_text, name="hide_text"),
    path("export/", views.export, name="export"),
    path("themes/", views.themes_page, name="themes"),
    path("themes/run/", views.themes_run, name="themes_run"),
    path("themes/name/", views.theme_name, name="theme_name"),
    path("themes/merge/", views.theme_merge, name="theme_merge"),
    path("themes/split/", views.theme_split, name="theme_split"),
    path("staff/", views.staff, name="staff"),
    path("print/", views.print_forms, name="print"),
    path("print/<int:run_id>/", views.print_run, name="print_run"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
]
