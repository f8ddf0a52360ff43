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
from civitas.core import activity
from civitas.search.indexing import rebuild
from civitas.search.queries import search
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_proposal, published_space

pytestmark = pytest.mark.django_db


def _proposal(user, component, admin):
    return published_proposal(user, component, "Un jardin partagé")


def _comment(user, component, admin):
    return do_add_comment(
        user=user, resource=published_proposal(admin, component, "Un banc"), body="Avec des bancs"
    )


def _debate(user, component, admin):
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
    contribute(
        sophie, published_component(private, admin_a, manifest, "Outil", creation_enabled=True), admin_a
    )
    rebuild(org_a)
    assert sophie.pk not in activity.active_among(org_a, [sophie.pk])
    assert sophie in activity.inactive_profiles(org_a)
    assert not search(user=AnonymousUser(), organization=org_a, query="Sophie Lambert").hits

    contribute(
        sophie, published_component(public, admin_a, manifest, "Outil public", creation_enabled=True), admin_a
    )
    rebuild(org_a)
    assert sophie.pk in activity.active_among(org_a, [sophie.pk])
    assert [
        hit.document.title
        for hit in search(user=AnonymousUser(), organization=org_a, query="Sophie Lambert").hits
    ] == ["Sophie Lambert (@sophie)"]
