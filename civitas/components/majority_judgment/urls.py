from django.urls import path

from civitas.components.majority_judgment import views

app_name = "majority_judgment"
urlpatterns = [
    path("", views.ballot, name="ballot"),
    path("review/", views.review, name="review"),
    path("vote/", views.vote, name="vote"),
    path("check/", views.check_receipt, name="check_receipt"),
    path("sealed.jsonl", views.sealed_file, name="sealed_file"),
]
