from django.urls import path

from civitas.components.proposals import admin_views, synthesis_views

app_name = "proposals_admin"
urlpatterns = [
    path("", admin_views.proposal_admin_index, name="index"),
    path("export/", admin_views.export_proposals, name="export"),
    path("export/comments/", admin_views.export_comments, name="export_comments"),
    path("publish-answers/", admin_views.publish_answers, name="publish_answers"),
    path("states/", admin_views.add_custom_state, name="add_state"),
    path("<int:proposal_id>/", admin_views.proposal_evaluate, name="evaluate"),
    path("<int:proposal_id>/notes/", admin_views.proposal_add_note, name="add_note"),
    path("<int:proposal_id>/evaluators/", admin_views.proposal_assign, name="assign"),
    # The synthesis step: merge, split, import (synthesis_views).
    path("merge/", synthesis_views.merge, name="merge"),
    path("<int:proposal_id>/split/", synthesis_views.split, name="split"),
    path("import/", synthesis_views.import_proposals, name="publish_imports"),
    path("import/meeting/", synthesis_views.import_meeting, name="publish_meeting_proposals"),
]
