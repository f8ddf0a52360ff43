"""The API shows what the pages show, to the same person, and nothing else."""

import pytest
from django.test import Client

from civitas.api.tests.conftest import HIDDEN, SHOWN
from civitas.api.tests.helpers import LISTS, detail_paths, get_json, hidden_paths
from civitas.core.links import outbound_url

pytestmark = pytest.mark.django_db


def _all_text(client, paths) -> str:
    return "".join(client.get(path).content.decode() for path in paths)


def test_a_visitor_gets_every_visible_thing_and_nothing_hidden(world, api):
    text = _all_text(api, LISTS + tuple(detail_paths(world)))
    assert HIDDEN not in text
    for expected in (
        "proposal",
        "withdrawn proposal",
        "comment",
        "reply",
        "meeting",
        "debate",
        "for",
        "survey",
    ):
        assert f"{SHOWN} {expected}" in text, expected


@pytest.mark.parametrize("who", ["visitor", "participant", "member of another space"])
def test_what_may_not_be_seen_answers_404_like_what_does_not_exist(world, org_a, who):
    client = Client(HTTP_HOST=org_a.host)
    if who != "visitor":
        client.force_login(world["reporter"] if who == "participant" else world["author"])
    for path in [*hidden_paths(world), "/api/v1/proposals/987654/", "/api/v1/spaces/987654/"]:
        body = get_json(client, path, status=404)
        assert body["error"]["code"] == "not_found"
        assert HIDDEN not in str(body)


def test_a_member_sees_the_private_space_and_its_contributions(world, org_a):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(world["member"])
    spaces = get_json(client, "/api/v1/spaces/")["results"]
    assert {space["id"] for space in spaces} == {world["space"].pk, world["private_space"].pk}
    proposal = get_json(client, f"/api/v1/proposals/{world['private_proposal'].pk}/")
    assert proposal["space_id"] == world["private_space"].pk
    thread = get_json(client, f"/api/v1/proposals/{world['private_proposal'].pk}/comments/")
    assert [comment["id"] for comment in thread["results"]] == [world["private_comment"].pk]
    # Still no draft, hidden or blocked content, even for the organization's admin.
    client.force_login(world["admin"])
    listed = get_json(client, "/api/v1/proposals/", {"page_size": 100})["results"]
    assert {item["id"] for item in listed} == {world["proposal"].pk, world["private_proposal"].pk}


def test_a_thread_shows_replies_and_deleted_places_but_no_hidden_branch(world, api):
    thread = get_json(api, f"/api/v1/proposals/{world['proposal'].pk}/comments/")["results"]
    by_id = {comment["id"]: comment for comment in thread}
    assert world["comment"].pk in by_id
    assert world["hidden_comment"].pk not in by_id and world["reply_to_hidden"].pk not in by_id
    assert world["spam_comment"].pk not in by_id
    deleted = by_id[world["deleted_comment"].pk]
    assert deleted["deleted"] is True and deleted["body"] is None and deleted["author"] is None
    replies = [comment for comment in thread if comment["parent_id"] == world["comment"].pk]
    assert len(replies) == 1 and replies[0]["depth"] == 1
    # No personal data beyond the public name and nickname.
    assert set(by_id[world["comment"].pk]["author"]) == {"name", "nickname"}
    assert world["reporter"].email not in str(thread)


def test_a_proposal_carries_its_state_answer_supports_and_tags(world, api):
    proposal = get_json(api, f"/api/v1/proposals/{world['proposal'].pk}/")
    assert proposal["state"] == "accepted"
    assert proposal["official_answer"]["text"] == f"<p>{SHOWN} answer</p>"
    assert proposal["official_answer"]["cost"] == "1200.00"
    assert proposal["supports"] == 1
    assert proposal["tags"] == [{"id": world["tag"].pk, "name": "Parcs"}]
    assert proposal["author"] == {"name": f"{SHOWN} Autrice", "nickname": "autrice"}


def test_supports_count_is_hidden_where_the_page_hides_it(world, api):
    from civitas.testing.components import configure_component

    configure_component(world["ideas"], world["admin"], supports="hidden")
    assert get_json(api, f"/api/v1/proposals/{world['proposal'].pk}/")["supports"] is None


def test_an_answer_in_preparation_is_not_shown(world, api):
    from civitas.components.proposals.answers import do_save_answer

    withdrawn = world["withdrawn"]
    do_save_answer(
        proposal=withdrawn,
        user=world["admin"],
        data={"answer_state": "rejected", "answer": "brouillon"},
        publish=False,
    )
    proposal = get_json(api, f"/api/v1/proposals/{withdrawn.pk}/")
    assert proposal["official_answer"] is None and proposal["state"] == "withdrawn"
    assert "brouillon" not in str(proposal)


def test_the_online_link_of_a_meeting_with_registration_is_for_confirmed_participants(world, org_a):
    guarded = world["guarded_meeting"]
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(world["reporter"])
    assert get_json(client, f"/api/v1/meetings/{guarded.pk}/")["online_url"] is None
    world["register"](world["reporter"])
    # Through the warning page, as on the meeting's page.
    shown = outbound_url(guarded.online_url, org_a)
    assert shown.startswith("/link/?url=")
    assert get_json(client, f"/api/v1/meetings/{guarded.pk}/")["online_url"] == shown
    listed = {item["id"]: item for item in get_json(client, "/api/v1/meetings/")["results"]}
    assert listed[guarded.pk]["online_url"] == shown
    assert listed[world["meeting"].pk]["online_url"] == outbound_url(world["meeting"].online_url, org_a)


def test_survey_results_are_aggregated_counts_only(world, api):
    results = get_json(api, f"/api/v1/surveys/{world['survey'].pk}/results/")
    assert results["answers"] == 3
    single = next(question for question in results["questions"] if question["type"] == "single")
    assert sum(option["count"] for option in single["options"]) == 3
    # Free-text answers ("Les commerces", "Centre") stay on the results page.
    assert "Centre" not in str(results) and "commerces" not in str(results)
    listed = get_json(api, "/api/v1/surveys/")["results"]
    assert [survey["component_id"] for survey in listed] == [world["survey"].pk]


def test_an_unpublished_component_or_space_takes_everything_with_it(world, api):
    from civitas.components.services import do_set_component_published
    from civitas.spaces.services import do_set_published

    do_set_component_published(component=world["ideas"], user=world["admin"], published=False)
    assert len(get_json(api, "/api/v1/proposals/")["results"]) == 0
    get_json(api, f"/api/v1/proposals/{world['proposal'].pk}/comments/", status=404)
    get_json(api, f"/api/v1/comments/{world['comment'].pk}/", status=404)
    do_set_published(space=world["space"], user=world["admin"], published=False)
    assert len(get_json(api, "/api/v1/spaces/")["results"]) == 0
    assert len(get_json(api, "/api/v1/meetings/")["results"]) == 0
    get_json(api, f"/api/v1/debates/{world['debate'].pk}/", status=404)


def test_statistics_match_the_statistics_page(world, api):
    from civitas.stats.services import summary

    stats = get_json(api, "/api/v1/statistics/")
    assert stats["participants"] == summary(world["organization"])["participants"]
    assert [space["space_id"] for space in stats["spaces"]] == [world["space"].pk]
    space = get_json(api, f"/api/v1/spaces/{world['space'].pk}/statistics/")
    assert space["participants"] == summary(world["organization"], world["space"])["participants"]
