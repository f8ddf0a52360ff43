"""Routes of the read-only API, mounted at /api/v1/. Each one is described in ``openapi.py``."""

from importlib import import_module

from django.urls import path, re_path

from civitas.api.views import comments, docs, organization, spaces
from civitas.components.manifest import registry

app_name = "api"
UNKNOWN_ADDRESS = r"^.+/$"


def _component_routes(manifest_name: str, view_module: str, routes):
    """The endpoints of one component type, only when this installation has it: a
    component removed from INSTALLED_APPS takes its endpoints (and their documentation)
    with it, and the rest of the API keeps running."""
    if registry.get(manifest_name) is None:
        return []
    views = import_module(f"civitas.api.views.{view_module}")
    return [
        path(route, getattr(views, view) if isinstance(view, str) else view, name=name)
        for route, view, name in routes
    ]


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
    *_component_routes(
        "proposals",
        "proposals",
        [
            ("proposals/", "proposal_list", "proposal_list"),
            ("proposals/<int:proposal_id>/", "proposal_detail", "proposal_detail"),
            ("proposals/<int:proposal_id>/comments/", comments.proposal_comments, "proposal_comments"),
        ],
    ),
    *_component_routes(
        "meetings",
        "meetings",
        [
            ("meetings/", "meeting_list", "meeting_list"),
            ("meetings/<int:meeting_id>/", "meeting_detail", "meeting_detail"),
            ("meetings/<int:meeting_id>/comments/", comments.meeting_comments, "meeting_comments"),
        ],
    ),
    *_component_routes(
        "debates",
        "debates",
        [
            ("debates/", "debate_list", "debate_list"),
            ("debates/<int:debate_id>/", "debate_detail", "debate_detail"),
            ("debates/<int:debate_id>/comments/", comments.debate_comments, "debate_comments"),
        ],
    ),
    path("comments/<int:comment_id>/", comments.comment_detail, name="comment_detail"),
    *_component_routes(
        "surveys",
        "surveys",
        [
            ("surveys/", "survey_list", "survey_list"),
            ("surveys/<int:component_id>/results/", "survey_results", "survey_results"),
        ],
    ),
    # Last: any other address under /api/v1/ gets the API's JSON 404, not the site's page.
    # Only addresses ending in "/", so that "/api/v1/spaces" is still redirected to its slash.
    re_path(UNKNOWN_ADDRESS, docs.unknown_address, name="unknown_address"),
]

# The operations the OpenAPI document and the docs page describe: those routed here.
ROUTE_NAMES = frozenset(pattern.name for pattern in urlpatterns if pattern.name)
