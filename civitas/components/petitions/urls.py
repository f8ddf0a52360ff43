from django.urls import path

from civitas.components.petitions import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_index, name="index"),
    path("petitions.json", views.petition_list_json, name="list_json"),
    path("new/", views.petition_draft, name="create"),
    path("<int:petition_id>/", views.petition_detail, name="detail"),
    path("<int:petition_id>/count.json", views.petition_count_json, name="count_json"),
    path("<int:petition_id>/edit/", views.petition_edit, name="edit"),
    path("<int:petition_id>/promoters/", views.petition_promoters, name="promoters"),
    path("<int:petition_id>/invitation/", views.petition_invitation, name="invitation"),
    path("<int:petition_id>/submit/", views.petition_submit, name="submit"),
    path("<int:petition_id>/sign/", views.petition_sign, name="sign"),
    path("<int:petition_id>/withdraw/", views.petition_withdraw, name="withdraw"),
    path("<int:petition_id>/receipt/", views.petition_receipt, name="receipt"),
    path("<int:petition_id>/signatures/<int:list_id>.jsonl", views.signature_list_file, name="list_file"),
]
