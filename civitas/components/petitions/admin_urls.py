from django.urls import path

from civitas.components.petitions import admin_views

app_name = "petitions_admin"
urlpatterns = [
    path("", admin_views.petition_admin_index, name="index"),
    path("<int:petition_id>/review/", admin_views.petition_review, name="review"),
    path("<int:petition_id>/answer/", admin_views.petition_answer, name="answer"),
    path("<int:petition_id>/seal/", admin_views.petition_seal, name="seal"),
    path("<int:petition_id>/paper/", admin_views.paper_batches, name="paper"),
    path("<int:petition_id>/paper/<int:batch_id>/", admin_views.paper_batch, name="batch"),
]
