"""Walk the API as a client would: every list and detail the world fixture offers."""

import json

LISTS = (
    "/api/v1/organization/",
    "/api/v1/statistics/",
    "/api/v1/spaces/",
    "/api/v1/components/",
    "/api/v1/proposals/",
    "/api/v1/proposals/?state=withdrawn",
    "/api/v1/meetings/",
    "/api/v1/debates/",
    "/api/v1/surveys/",
)


def get_json(client, path, params=None, status=200):
    response = client.get(path, params or {})
    assert response.status_code == status, f"{path} {params}: {response.status_code} {response.content[:300]}"
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def detail_paths(world) -> list[str]:
    """Every detail and thread endpoint, filled with the world's visible objects."""
    return [
        f"/api/v1/spaces/{world['space'].pk}/",
        f"/api/v1/spaces/{world['space'].pk}/statistics/",
        f"/api/v1/components/{world['ideas'].pk}/",
        f"/api/v1/proposals/{world['proposal'].pk}/",
        f"/api/v1/proposals/{world['withdrawn'].pk}/",
        f"/api/v1/proposals/{world['proposal'].pk}/comments/",
        f"/api/v1/meetings/{world['meeting'].pk}/",
        f"/api/v1/meetings/{world['meeting'].pk}/comments/",
        f"/api/v1/debates/{world['debate'].pk}/",
        f"/api/v1/debates/{world['debate'].pk}/comments/",
        f"/api/v1/comments/{world['comment'].pk}/",
        f"/api/v1/surveys/{world['survey'].pk}/results/",
    ]


def hidden_paths(world) -> list[str]:
    """Detail endpoints aimed at what a visitor may not see: each must answer 404."""
    return [
        f"/api/v1/spaces/{world['private_space'].pk}/",
        f"/api/v1/spaces/{world['private_space'].pk}/statistics/",
        f"/api/v1/components/{world['private_ideas'].pk}/",
        f"/api/v1/proposals/{world['draft'].pk}/",
        f"/api/v1/proposals/{world['hidden'].pk}/",
        f"/api/v1/proposals/{world['by_spammer'].pk}/",
        f"/api/v1/proposals/{world['private_proposal'].pk}/",
        f"/api/v1/proposals/{world['hidden'].pk}/comments/",
        f"/api/v1/proposals/{world['private_proposal'].pk}/comments/",
        f"/api/v1/comments/{world['hidden_comment'].pk}/",
        f"/api/v1/comments/{world['reply_to_hidden'].pk}/",
        f"/api/v1/comments/{world['spam_comment'].pk}/",
        f"/api/v1/comments/{world['private_comment'].pk}/",
        f"/api/v1/meetings/{world['draft_meeting'].pk}/",
        f"/api/v1/meetings/{world['draft_meeting'].pk}/comments/",
        f"/api/v1/debates/{world['draft_debate'].pk}/",
        f"/api/v1/debates/{world['draft_debate'].pk}/comments/",
        f"/api/v1/surveys/{world['unpublished_survey'].pk}/results/",
    ]
