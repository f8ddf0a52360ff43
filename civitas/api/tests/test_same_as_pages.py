"""Per role, the API shows an object only if its page shows it to the same person."""

import pytest
from django.test import Client

from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

# Admins and authors also see drafts and hidden things on pages (to edit or moderate them),
# which the API leaves out; for everyone else the API and the pages agree both ways.
SAME_EITHER_WAY = ("visitor", "participant", "member")
ROLES = ("visitor", "participant", "member", "space admin", "organization admin", "author")


def _client(world, role):
    client = Client(HTTP_HOST=world["organization"].host)
    person = {
        "visitor": None,
        "participant": world["reporter"],
        "member": world["member"],
        "organization admin": world["admin"],
        "author": world["author"],
    }.get(role)
    if role == "space admin":
        person = UserFactory(organization=world["organization"])
        do_grant_role(space=world["space"], user=world["admin"], person=person, role="admin")
    if person is not None:
        client.force_login(person)
    return client


def _pairs(world):
    """(API path, page path) for every object of the world that has both."""
    for name in ("space", "private_space"):
        space = world[name]
        yield f"/api/v1/spaces/{space.pk}/", f"/spaces/{space.slug}/"
    for name in ("proposal", "withdrawn", "draft", "hidden", "by_spammer", "private_proposal"):
        proposal = world[name]
        yield f"/api/v1/proposals/{proposal.pk}/", proposal.get_absolute_url()
    for name in ("meeting", "guarded_meeting", "draft_meeting"):
        yield f"/api/v1/meetings/{world[name].pk}/", world[name].get_absolute_url()
    for name in ("debate", "draft_debate"):
        yield f"/api/v1/debates/{world[name].pk}/", world[name].get_absolute_url()
    for name in ("survey", "unpublished_survey"):
        component = world[name]
        yield f"/api/v1/surveys/{component.pk}/results/", f"{component.get_absolute_url()}results/"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_never_shows_what_the_page_would_not(world, role):
    client = _client(world, role)
    shown = 0
    for api_path, page_path in _pairs(world):
        api_status = client.get(api_path).status_code
        page_status = client.get(page_path).status_code
        assert api_status in (200, 404), api_path
        if api_status == 200:
            shown += 1
            assert page_status == 200, f"{role}: {api_path} shown, but its page {page_path} is {page_status}"
        if role in SAME_EITHER_WAY:
            assert api_status == page_status, f"{role}: {api_path} is {api_status}, {page_path} {page_status}"
    # Published, visible objects are shown to everyone: the comparison is not vacuous.
    assert shown >= 7
