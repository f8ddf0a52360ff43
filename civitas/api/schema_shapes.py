"""JSON Schemas (2020-12, as OpenAPI 3.1 uses) of what the API answers.

Every object is closed (``additionalProperties: false``): the tests validate real answers
against these shapes, so a field added to ``representations`` without its line here fails.
"""


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict, description: str = "") -> dict:
    shape = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        shape["description"] = description
    return shape


STRING = {"type": "string"}
HTML = {
    "type": "string",
    "description": "Sanitized HTML, as shown on the page: links to other sites lead through "
    "the warning page (/link/?url=…).",
}
INTEGER = {"type": "integer"}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
BOOLEAN = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
PATH = {"type": "string", "description": "Address of the page on the platform, from its root."}


def page_of(item: str) -> dict:
    return obj(
        {
            "next": nullable({"type": "string", "format": "uri"}),
            "previous": nullable({"type": "string", "format": "uri"}),
            "results": {"type": "array", "items": ref(item)},
        }
    )


def _counted_options() -> dict:
    return {
        "type": "array",
        "items": obj({"id": STRING, "label": STRING, "count": COUNT}),
    }


def _survey_question() -> dict:
    shape = obj(
        {
            "id": STRING,
            "type": STRING,
            "label": STRING,
            "answered": COUNT,
            "by_channel": {"type": "object", "additionalProperties": COUNT},
            "options": _counted_options(),
            "values": {"type": "array", "items": obj({"value": STRING, "count": COUNT})},
            "mean": nullable({"type": "number"}),
            "ranking": {
                "type": "array",
                "items": obj(
                    {
                        "id": STRING,
                        "label": STRING,
                        "points": COUNT,
                        "positions": {"type": "array", "items": COUNT},
                    }
                ),
            },
            "matrix": {
                "type": "array",
                "items": obj({"id": STRING, "label": STRING, "options": _counted_options()}),
            },
        }
    )
    # Which figures a question has depends on its type: choices, scale, ranking, matrix.
    shape["required"] = ["id", "type", "label", "answered", "by_channel"]
    return shape


def _statistics_properties() -> dict:
    return {
        "participants": COUNT,
        "contributions": {
            "type": "array",
            "items": obj({"action": STRING, "label": STRING, "count": COUNT}),
        },
        "months": {
            "type": "array",
            "items": obj(
                {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "contributions": {"type": "object", "additionalProperties": COUNT},
                }
            ),
        },
    }


SURVEY_SUMMARY = {
    "component_id": ID,
    "space_id": ID,
    "title": STRING,
    "answers": COUNT,
    "results_published_at": DATETIME,
    "url": PATH,
}


def shapes() -> dict:
    tags = {"type": "array", "items": ref("Tag")}
    return {
        "Error": obj(
            {
                "error": obj(
                    {
                        "status": INTEGER,
                        "code": {
                            "type": "string",
                            "enum": [
                                "bad_parameter",
                                "not_found",
                                "method_not_allowed",
                                "rate_limited",
                            ],
                        },
                        "message": STRING,
                    }
                )
            }
        ),
        "Author": obj({"name": STRING, "nickname": STRING}, "Public name and nickname of a participant."),
        "Tag": obj({"id": ID, "name": STRING}),
        "Organization": obj(
            {
                "name": STRING,
                "host": STRING,
                "default_locale": STRING,
                "available_locales": {"type": "array", "items": STRING},
                "primary_colour": STRING,
                "secondary_colour": STRING,
            }
        ),
        "Phase": obj(
            {
                "id": ID,
                "title": STRING,
                "description": HTML,
                "start_date": nullable(DATE),
                "end_date": nullable(DATE),
                "position": COUNT,
                "active": BOOLEAN,
            }
        ),
        "Space": obj(
            {
                "id": ID,
                "slug": STRING,
                "kind": {"type": "string", "enum": ["process", "assembly"]},
                "title": STRING,
                "subtitle": STRING,
                "description": HTML,
                "visibility": {"type": "string", "enum": ["public", "transparent", "private"]},
                "start_date": nullable(DATE),
                "end_date": nullable(DATE),
                "published_at": DATETIME,
                "updated_at": DATETIME,
                "parent_id": nullable(ID),
                "active_phase_id": nullable(ID),
                "phases": {"type": "array", "items": ref("Phase")},
                "tags": tags,
                "url": PATH,
            }
        ),
        "Component": obj(
            {
                "id": ID,
                "space_id": ID,
                "type": STRING,
                "name": STRING,
                "position": COUNT,
                "published_at": DATETIME,
                "updated_at": DATETIME,
                "url": PATH,
            }
        ),
        "OfficialAnswer": obj(
            {
                "text": HTML,
                "cost": nullable({"type": "string", "description": "Estimated cost in euros, as a decimal."}),
                "feasibility_notes": HTML,
                "published_at": DATETIME,
            }
        ),
        "Proposal": obj(
            {
                "id": ID,
                "component_id": ID,
                "space_id": ID,
                "title": STRING,
                "body": HTML,
                "address": STRING,
                "state": {
                    "type": "string",
                    "enum": ["not_answered", "evaluating", "accepted", "rejected", "withdrawn"],
                },
                "custom_state": nullable(obj({"id": ID, "name": STRING, "colour": STRING})),
                "author": nullable(ref("Author")),
                "coauthors": {"type": "array", "items": ref("Author"), "description": "Accepted co-authors."},
                "supports": nullable(
                    {"type": "integer", "minimum": 0, "description": "Null where the page shows no count."}
                ),
                "comments": COUNT,
                "tags": tags,
                "official_answer": nullable(ref("OfficialAnswer")),
                "published_at": DATETIME,
                "withdrawn_at": nullable(DATETIME),
                "updated_at": DATETIME,
                "url": PATH,
            }
        ),
        "Meeting": obj(
            {
                "id": ID,
                "component_id": ID,
                "space_id": ID,
                "title": STRING,
                "description": HTML,
                "format": {"type": "string", "enum": ["in_person", "online", "hybrid"]},
                "address": STRING,
                "location_hints": STRING,
                "online_url": nullable(
                    {
                        "type": "string",
                        "description": "Null unless shown to this reader on the page; the "
                        "warning page's address (/link/?url=…) when it leads to another site.",
                    }
                ),
                "start_time": DATETIME,
                "end_time": DATETIME,
                "agenda": HTML,
                "registrations_enabled": BOOLEAN,
                "capacity": nullable(ID),
                "comments": COUNT,
                "report": nullable(
                    obj(
                        {
                            "closed_at": DATETIME,
                            "minutes": HTML,
                            "attendee_count": nullable(COUNT),
                            "attending_organizations": STRING,
                            "proposal_ids": {"type": "array", "items": ID},
                        }
                    )
                ),
                "updated_at": DATETIME,
                "url": PATH,
            }
        ),
        "Debate": obj(
            {
                "id": ID,
                "component_id": ID,
                "space_id": ID,
                "title": STRING,
                "description": HTML,
                "instructions": HTML,
                "official": BOOLEAN,
                "author": nullable(ref("Author")),
                "comments": COUNT,
                "published_at": DATETIME,
                "closed_at": nullable(DATETIME),
                "conclusion": HTML,
                "updated_at": DATETIME,
                "url": PATH,
            }
        ),
        "Comment": obj(
            {
                "id": ID,
                "resource_type": STRING,
                "resource_id": ID,
                "component_id": ID,
                "parent_id": nullable(ID),
                "depth": {"type": "integer", "minimum": 0, "maximum": 2},
                "alignment": {"type": "string", "enum": ["neutral", "for", "against"]},
                "deleted": BOOLEAN,
                "body": nullable(HTML),
                "author": nullable(ref("Author")),
                "up_votes": COUNT,
                "down_votes": COUNT,
                "created_at": DATETIME,
                "edited_at": nullable(DATETIME),
            }
        ),
        "SurveySummary": obj(SURVEY_SUMMARY),
        "SurveyQuestion": _survey_question(),
        "SurveyResults": obj(
            {
                **SURVEY_SUMMARY,
                "eligible_count": nullable(COUNT),
                "by_channel": {"type": "object", "additionalProperties": COUNT},
                "questions": {"type": "array", "items": ref("SurveyQuestion")},
            }
        ),
        "OrganizationStatistics": obj(
            {
                **_statistics_properties(),
                "spaces": {"type": "array", "items": obj({"space_id": ID, "participants": COUNT})},
            }
        ),
        "SpaceStatistics": obj({"space_id": ID, **_statistics_properties()}),
        **{
            f"{name}Page": page_of(name)
            for name in ("Space", "Component", "Proposal", "Meeting", "Debate", "Comment", "SurveySummary")
        },
    }
