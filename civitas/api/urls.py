"""Routes of the read-only API, mounted at /api/v1/. Each one is described in ``openapi.py``."""

from django.urls import path, re_path

from civitas.api.views import comments, debates, docs, meetings, organization, proposals, spaces, surveys

app_name = "api"
UNKNOWN_ADDRESS = r"^.+/$"

urlpatterns = [
    path("", docs.docs_page, name="docs"),
    path("openapi.json", docs.openapi_document, name="openapi"),
    path("organization/", organization.organization, name="organization"),
    path("statistics/", organization.statistics, name="statistics"),
    path("spaces/", spaces.space_list, name="space_list"),
    path("spaces/<int:space_id>/", spaces.space_detail, name="space_detail"),
    path("spaces/<int:space_id>/statistics/", spaces.space_statistics, name="space_statistics"),
    path("components/", spaces.component_list, name="component_list"),
    path("components/<int:component_id>/", spaces.component_detail, name="component_detail"),
    path("proposals/", proposals.proposal_list, name="proposal_list"),
    path("proposals/<int:proposal_id>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/comments/", comments.proposal_comments, name="proposal_comments"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/comments/", comments.meeting_comments, name="meeting_comments"),
    path("debates/", debates.debate_list, name="debate_list"),
    path("debates/<int:debate_id>/", debates.debate_detail, name="debate_detail"),
    path("debates/<int:debate_id>/comments/", comments.debate_comments, name="debate_comments"),
    path("comments/<int:comment_id>/", comments.comment_detail, name="comment_detail"),
    path("surveys/", surveys.survey_list, name="survey_list"),
    path("surveys/<int:component_id>/results/", surveys.survey_results, name="survey_results"),
    # Last: any other address under /api/v1/ gets the API's JSON 404, not the site's page.
    # Only addresses ending in "/", so that "/api/v1/spaces" is still redirected to its slash.
    re_path(UNKNOWN_ADDRESS, docs.unknown_address, name="unknown_address"),
]
