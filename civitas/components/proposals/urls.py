from django.urls import path

from civitas.components.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_index, name="index"),
    path("new/", views.proposal_create, name="create"),
    path("states.css", views.custom_state_styles, name="state_styles"),
    path("<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("<int:proposal_id>/publish/", views.proposal_compare, name="compare"),
    path("<int:proposal_id>/edit/", views.proposal_edit, name="edit"),
    path("<int:proposal_id>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:proposal_id>/support/", views.proposal_support, name="support"),
    path("<int:proposal_id>/follow/", views.proposal_follow, name="follow"),
]
