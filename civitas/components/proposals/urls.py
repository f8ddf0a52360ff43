from django.urls import path

from civitas.components.proposals import collaboration_views, views

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
    path("<int:proposal_id>/coauthors/", collaboration_views.proposal_coauthorship, name="coauthorship"),
    path("drafts/", collaboration_views.draft_index, name="drafts"),
    path("drafts/new/", collaboration_views.draft_create, name="draft_create"),
    path("drafts/<int:draft_id>/", collaboration_views.draft_detail, name="draft_detail"),
    path("drafts/<int:draft_id>/edit/", collaboration_views.draft_edit, name="draft_edit"),
    path("drafts/<int:draft_id>/requests/", collaboration_views.draft_request, name="draft_request"),
    path("drafts/<int:draft_id>/publish/", collaboration_views.draft_publish, name="draft_publish"),
    path("drafts/<int:draft_id>/withdraw/", collaboration_views.draft_withdraw, name="draft_withdraw"),
    path("drafts/<int:draft_id>/follow/", collaboration_views.draft_follow, name="draft_follow"),
]
