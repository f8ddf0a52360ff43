"""A contribution only members can read does not make its author's profile public.

An outside tester made a resident who had never taken part a member of a private space; one
comment there, and an anonymous search for her name found her profile. Every activity source
(comments, proposals and their co-authors, debates) now counts only contributions anyone can
read: checked for each kind in a private space, then the same in a public one.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from civitas.comments.services import do_add_comment
from civitas.components.debates.services import do_open_debate
from civitas.components.proposals import services as proposals
from civitas.core import activity
from civitas.search.indexing import rebuild
from civitas.search.queries import search
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def _proposal(user, component):
    proposal = proposals.do_create_draft(
        user=user,
        component=component,
        title="Un jardin partagé",
        body="Un texte assez long pour une proposition.",
    )
    proposals.do_publish(proposal=proposal, user=user)
    return proposal


def _comment(user, component):
    admin_proposal = _proposal(component.space.organization.users.get(is_organization_admin=True), component)
    return do_add_comment(user=user, resource=admin_proposal, body="Avec des bancs")


def _debate(user, component):
    return do_open_debate(user=user, component=component, title="Le marché", description="Parlons-en.")


CONTRIBUTIONS = {
    "proposal": ("proposals", _proposal),
    "comment": ("proposals", _comment),
    "debate": ("debates", _debate),
}


@pytest.mark.parametrize("kind", sorted(CONTRIBUTIONS))
def test_a_contribution_in_a_private_space_keeps_its_author_out_of_search(org_a, admin_a, kind, settings):
    manifest, contribute = CONTRIBUTIONS[kind]
    private = published_space(org_a, admin_a, "Conseil restreint", visibility="private")
    public = published_space(org_a, admin_a, "Budget participatif")
    sophie = UserFactory(organization=org_a, nickname="sophie", name="Sophie Lambert")
    do_grant_role(space=private, user=admin_a, person=sophie, role="member")
    contribute(sophie, published_component(private, admin_a, manifest, "Outil", creation_enabled=True))
    rebuild(org_a)
    assert sophie.pk not in activity.active_among(org_a, [sophie.pk])
    assert sophie in activity.inactive_profiles(org_a)
    assert not search(user=AnonymousUser(), organization=org_a, query="Sophie Lambert").hits

    contribute(sophie, published_component(public, admin_a, manifest, "Outil public", creation_enabled=True))
    rebuild(org_a)
    assert sophie.pk in activity.active_among(org_a, [sophie.pk])
    assert [
        hit.document.title
        for hit in search(user=AnonymousUser(), organization=org_a, query="Sophie Lambert").hits
    ] == ["Sophie Lambert (@sophie)"]
