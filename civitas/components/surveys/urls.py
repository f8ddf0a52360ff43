from django.urls import path

from civitas.components.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_page, name="survey"),
    path("receipt/", views.receipt, name="receipt"),
    path("check/", views.check_receipt, name="check_receipt"),
    path("results/", views.results, name="results"),
    path("answers.jsonl", views.sealed_file, name="sealed_file"),
    path("themes.json", views.themes_file, name="themes_file"),
]
