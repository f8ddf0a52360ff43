"""The OpenAPI 3.1 description of the API, built per request in the reader's language.

``OPERATIONS`` lists every endpoint with its parameters and answer; ``document()``
assembles the OpenAPI file from it, and the docs page renders the same list. A test
checks that every route of ``civitas/api/urls.py`` is described here.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE
from civitas.api.schema_shapes import DATETIME, ID, ref, shapes
from civitas.api.views.common import MAX_ID

PREFIX = "/api/v1"
PATH_ID = {**ID, "maximum": MAX_ID}


@dataclass(frozen=True)
class Parameter:
    name: str
    description: object
    schema: dict
    where: str = "query"


@dataclass(frozen=True)
class Operation:
    path: str
    operation_id: str
    summary: object
    response: str | None  # a shape of schema_shapes, None for the HTML docs page
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    paginated: bool = False


def _path_id(name: str, what) -> Parameter:
    return Parameter(name, what, PATH_ID, where="path")


SPACE = Parameter("space", gettext_lazy("Only what belongs to this space (its id)."), ID)
COMPONENT = Parameter("component", gettext_lazy("Only what belongs to this component (its id)."), ID)
UPDATED_SINCE = Parameter(
    "updated_since",
    gettext_lazy("Only what changed at or after this moment (ISO 8601, e.g. 2026-05-01T12:00:00Z)."),
    DATETIME,
)
CURSOR = Parameter(
    "cursor",
    gettext_lazy("Where to go on from: copied from the next or previous link of a page of this list."),
    {"type": "string"},
)
PAGE_SIZE_PARAMETER = Parameter(
    "page_size",
    format_lazy(
        gettext_lazy("Objects per page, at most {maximum} (default {default})."),
        maximum=MAX_PAGE_SIZE,
        default=PAGE_SIZE,
    ),
    {**ID, "maximum": MAX_PAGE_SIZE},
)
PROPOSAL_STATE = Parameter(
    "state",
    gettext_lazy("Only proposals in this state; withdrawn proposals are listed only when asked for."),
    {"type": "string", "enum": ["not_answered", "evaluating", "accepted", "rejected", "withdrawn"]},
)

OPERATIONS = (
    Operation(f"{PREFIX}/", "docs", gettext_lazy("This documentation, as a web page"), None),
    Operation(
        f"{PREFIX}/openapi.json", "openapi", gettext_lazy("The OpenAPI 3.1 description of the API"), "OpenAPI"
    ),
    Operation(
        f"{PREFIX}/organization/",
        "organization",
        gettext_lazy("The organization of this site"),
        "Organization",
    ),
    Operation(
        f"{PREFIX}/statistics/",
        "statistics",
        gettext_lazy("Participants and contributions of the organization, and participants per space"),
        "OrganizationStatistics",
    ),
    Operation(
        f"{PREFIX}/spaces/",
        "space_list",
        gettext_lazy("Participatory spaces you may see, with their phases"),
        "Space",
        (
            Parameter(
                "kind",
                gettext_lazy("process or assembly"),
                {"type": "string", "enum": ["process", "assembly"]},
            ),
            UPDATED_SINCE,
        ),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/spaces/{{space_id}}/",
        "space_detail",
        gettext_lazy("One participatory space"),
        "Space",
        (_path_id("space_id", gettext_lazy("Id of the space")),),
    ),
    Operation(
        f"{PREFIX}/spaces/{{space_id}}/statistics/",
        "space_statistics",
        gettext_lazy("Participants and contributions of one space"),
        "SpaceStatistics",
        (_path_id("space_id", gettext_lazy("Id of the space")),),
    ),
    Operation(
        f"{PREFIX}/components/",
        "component_list",
        gettext_lazy("Published components of the spaces you may see"),
        "Component",
        (
            SPACE,
            Parameter(
                "type", gettext_lazy("Type of component, e.g. proposals or meetings."), {"type": "string"}
            ),
            UPDATED_SINCE,
        ),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/components/{{component_id}}/",
        "component_detail",
        gettext_lazy("One component"),
        "Component",
        (_path_id("component_id", gettext_lazy("Id of the component")),),
    ),
    Operation(
        f"{PREFIX}/proposals/",
        "proposal_list",
        gettext_lazy("Published proposals, with their state, supports, tags and official answer"),
        "Proposal",
        (
            SPACE,
            COMPONENT,
            PROPOSAL_STATE,
            Parameter("tag", gettext_lazy("Only proposals with this tag (its id)."), ID),
            UPDATED_SINCE,
        ),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/proposals/{{proposal_id}}/",
        "proposal_detail",
        gettext_lazy("One proposal"),
        "Proposal",
        (_path_id("proposal_id", gettext_lazy("Id of the proposal")),),
    ),
    Operation(
        f"{PREFIX}/proposals/{{proposal_id}}/comments/",
        "proposal_comments",
        gettext_lazy("Comments on a proposal, oldest first, replies included"),
        "Comment",
        (_path_id("proposal_id", gettext_lazy("Id of the proposal")), UPDATED_SINCE),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/meetings/",
        "meeting_list",
        gettext_lazy("Published meetings, in order of their start, with their closing reports"),
        "Meeting",
        (SPACE, COMPONENT, UPDATED_SINCE),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/meetings/{{meeting_id}}/",
        "meeting_detail",
        gettext_lazy("One meeting"),
        "Meeting",
        (_path_id("meeting_id", gettext_lazy("Id of the meeting")),),
    ),
    Operation(
        f"{PREFIX}/meetings/{{meeting_id}}/comments/",
        "meeting_comments",
        gettext_lazy("Comments on a meeting"),
        "Comment",
        (_path_id("meeting_id", gettext_lazy("Id of the meeting")), UPDATED_SINCE),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/debates/",
        "debate_list",
        gettext_lazy("Published debates, with their conclusions once closed"),
        "Debate",
        (SPACE, COMPONENT, UPDATED_SINCE),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/debates/{{debate_id}}/",
        "debate_detail",
        gettext_lazy("One debate"),
        "Debate",
        (_path_id("debate_id", gettext_lazy("Id of the debate")),),
    ),
    Operation(
        f"{PREFIX}/debates/{{debate_id}}/comments/",
        "debate_comments",
        gettext_lazy("Comments on a debate, each for, against or without a position"),
        "Comment",
        (_path_id("debate_id", gettext_lazy("Id of the debate")), UPDATED_SINCE),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/comments/{{comment_id}}/",
        "comment_detail",
        gettext_lazy("One comment"),
        "Comment",
        (_path_id("comment_id", gettext_lazy("Id of the comment")),),
    ),
    Operation(
        f"{PREFIX}/surveys/",
        "survey_list",
        gettext_lazy("Surveys whose results are published"),
        "SurveySummary",
        (SPACE,),
        paginated=True,
    ),
    Operation(
        f"{PREFIX}/surveys/{{component_id}}/results/",
        "survey_results",
        gettext_lazy("Published results of a survey: counts per question, no free-text answer"),
        "SurveyResults",
        (_path_id("component_id", gettext_lazy("Id of the survey's component")),),
    ),
)


def _parameter(parameter: Parameter) -> dict:
    described = {
        "name": parameter.name,
        "in": parameter.where,
        "required": parameter.where == "path",
        "description": str(parameter.description),
        "schema": parameter.schema,
    }
    if parameter.where == "query":
        described["allowEmptyValue"] = True  # ``?space=`` means no filter (see params.py)
    return described


def _error(description) -> dict:
    return {"description": str(description), "content": {"application/json": {"schema": ref("Error")}}}


def _responses(operation: Operation) -> dict:
    if operation.response is None:
        ok = {"description": _("The page"), "content": {"text/html": {"schema": {"type": "string"}}}}
    else:
        shape = f"{operation.response}Page" if operation.paginated else operation.response
        ok = {"description": _("Found"), "content": {"application/json": {"schema": ref(shape)}}}
    ok["headers"] = {
        "ETag": {"description": _("Tag of this answer, for If-None-Match"), "schema": {"type": "string"}}
    }
    responses = {"200": ok, "304": {"description": _("Not modified since the ETag given in If-None-Match")}}
    if any(parameter.where == "query" for parameter in operation_parameters(operation)):
        responses["400"] = _error(_("A parameter has a bad value; the message says which."))
    if any(parameter.where == "path" for parameter in operation.parameters):
        responses["404"] = _error(_("No such object, or you may not see it."))
    responses["429"] = {
        **_error(_("Too many requests from your address: wait as long as Retry-After says.")),
        "headers": {
            "Retry-After": {"description": _("Seconds to wait"), "schema": {"type": "integer", "minimum": 1}}
        },
    }
    return responses


def operation_parameters(operation: Operation) -> tuple[Parameter, ...]:
    return operation.parameters + ((CURSOR, PAGE_SIZE_PARAMETER) if operation.paginated else ())


def _operation(operation: Operation) -> dict:
    return {
        "operationId": operation.operation_id,
        "summary": str(operation.summary),
        "parameters": [_parameter(parameter) for parameter in operation_parameters(operation)],
        "responses": _responses(operation),
    }


def available_operations() -> list[Operation]:
    """The operations this installation serves: a component type that is not installed
    has no endpoints, so they are not described either."""
    from civitas.api.urls import ROUTE_NAMES

    return [operation for operation in OPERATIONS if operation.operation_id in ROUTE_NAMES]


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": _("Civitas read-only API"),
            "version": "1.0.0",
            "description": _(
                "What the platform's pages show, as JSON: the same visibility rules apply. Anonymous "
                "requests see what a visitor sees; with a session cookie, what that person may see. "
                "At most 120 requests per minute from one address."
            ),
        },
        "paths": {operation.path: {"get": _operation(operation)} for operation in available_operations()},
        # Optional: without the platform's session cookie, a request is a visitor's.
        "security": [{}, {"session": []}],
        "components": {
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": settings.SESSION_COOKIE_NAME,
                    "description": _("The session cookie of a person logged in on the site."),
                }
            },
            "schemas": {
                **shapes(),
                "OpenAPI": {"type": "object", "required": ["openapi", "paths"]},
            },
        },
    }
