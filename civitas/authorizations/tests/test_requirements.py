"""Any action of any component can require verifications, in every phase or in one phase;
the server refuses the unverified, and the page tells them how to verify."""

import datetime
import re

import pytest
from django.utils import timezone

from civitas.authorizations.models import ActionRequirement, Authorization
from civitas.authorizations.requirements import (
    blocked_only_by_verifications,
    configurable_actions,
    missing_verifications,
)
from civitas.authorizations.services import RequirementError, do_set_requirements
from civitas.comments.services import CommentNotAllowed, do_add_comment
from civitas.components.proposals import services as proposals
from civitas.components.proposals.models import Support
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(org_a, admin_a):
    space = published_space(org_a, admin_a, "Quartiers")
    return published_component(
        space, admin_a, "proposals", "Idées", creation_enabled=True, supports="enabled"
    )


@pytest.fixture
def proposal(ideas, admin_a):
    author = UserFactory(organization=ideas.space.organization)
    draft = proposals.do_create_draft(
        user=author, component=ideas, title="Un banc", body="<p>Place du marché</p>"
    )
    proposals.do_publish(proposal=draft, user=author)
    return draft


def _verify(user, handler="census", district=""):
    Authorization.objects.create(
        user=user,
        organization_id=user.organization_id,
        handler=handler,
        granted_on=timezone.localdate(),
        district=district,
    )


def _fresh(component):
    return type(component).objects.select_related("space__active_phase").get(pk=component.pk)


def test_every_manifest_action_and_comments_are_configurable(ideas):
    names = [action.name for action in configurable_actions(ideas)]
    assert names == [
        "create",
        "support",
        "open_draft",
        "join_draft",
        "amend",
        "react_to_amendment",
        "promote_amendment",
        "comment",
    ]


def test_server_refuses_the_unverified_then_accepts_once_verified(ideas, proposal, admin_a, user_a):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("support", None, "census", None)])
    ideas = _fresh(ideas)
    assert not user_a.has_perm("proposals.support", ideas)
    assert [item.handler for item in blocked_only_by_verifications(user_a, ideas, "support")] == ["census"]
    # Creating is not concerned.
    assert user_a.has_perm("proposals.create", ideas)
    _verify(user_a)
    assert user_a.has_perm("proposals.support", _fresh(ideas))
    proposals.do_support(proposal=proposal, user=user_a)
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_a_forged_post_is_refused_and_sent_to_the_verification_page(
    client_a, ideas, proposal, admin_a, user_a
):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("support", None, "census", None)])
    client_a.force_login(user_a)
    response = client_a.post(proposal.get_support_url())
    assert response.status_code == 302
    assert response["Location"].startswith(f"/authorizations/required/{ideas.pk}/support/?next=")
    assert not Support.objects.exists()
    # The page says what is needed and links to how to get it, coming back afterwards.
    page = client_a.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Habitant inscrit dans la liste de recensement" in html
    link = re.search(r'href="(/authorizations/census/\?next=[^"]+)"', html).group(1)
    assert "required" in link
    # The proposal page offers the same way instead of the button.
    assert (
        f"/authorizations/required/{ideas.pk}/support/"
        in client_a.get(proposal.get_absolute_url()).content.decode()
    )
    _verify(user_a)
    back = client_a.get(response["Location"])
    assert back.status_code == 302 and back["Location"] == proposal.get_absolute_url()


def test_requirements_per_phase_add_to_those_of_every_phase(org_a, admin_a, ideas, user_a, franceconnect):
    space = ideas.space
    first = space.active_phase
    second = Phase.objects.create(space=space, title="Vote", position=1)
    do_set_requirements(
        component=ideas,
        user=admin_a,
        requirements=[("support", None, "census", None), ("support", second.pk, "letter", None)],
    )
    _verify(user_a, "census")
    assert user_a.has_perm("proposals.support", _fresh(ideas))
    do_activate_phase(space=space, phase=second, user=admin_a)
    ideas = _fresh(ideas)
    configure_component(ideas, admin_a, supports="enabled")
    ideas = _fresh(ideas)
    assert [item.handler for item in missing_verifications(user_a, ideas, "support")] == ["letter"]
    assert not user_a.has_perm("proposals.support", ideas)
    _verify(user_a, "letter")
    assert user_a.has_perm("proposals.support", _fresh(ideas))
    do_activate_phase(space=space, phase=first, user=admin_a)
    assert ActionRequirement.objects.filter(component=ideas).count() == 2


def test_admin_page_sets_requirements_per_phase_and_logs_it(client_a, org_a, admin_a, ideas, franceconnect):
    from civitas.actionlog.models import ActionLogEntry

    phase = ideas.space.active_phase
    url = f"/admin/authorizations/spaces/{ideas.space.pk}/components/{ideas.pk}/"
    client_a.force_login(admin_a)
    page = client_a.get(url)
    assert page.status_code == 200 and "Comment" in page.content.decode()
    response = client_a.post(
        url,
        {
            "support-all-handlers": ["census"],
            f"comment-{phase.pk}-handlers": ["franceconnect", "letter"],
            f"comment-{phase.pk}-age": "16",
        },
    )
    assert response.status_code == 302
    rows = set(ActionRequirement.objects.values_list("action", "phase_id", "handler", "minimum_age"))
    assert rows == {
        ("support", None, "census", None),
        ("comment", phase.pk, "franceconnect", 16),
        ("comment", phase.pk, "letter", None),
    }
    assert ActionLogEntry.objects.filter(action="component.requirements").count() == 1


def test_bad_requirements_change_nothing(client_a, admin_a, ideas, org_b, franceconnect):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("support", None, "census", None)])
    url = f"/admin/authorizations/spaces/{ideas.space.pk}/components/{ideas.pk}/"
    client_a.force_login(admin_a)
    # An unknown handler, a minimum age without a verification that gives a birth date.
    response = client_a.post(url, {"support-all-handlers": ["passport"]})
    assert response.status_code == 400
    response = client_a.post(url, {"support-all-handlers": ["census"], "support-all-age": "18"})
    assert response.status_code == 400
    for bad in (
        [("vote", None, "census", None)],
        [("support", None, "nothing", None)],
        [("support", 999999, "census", None)],
    ):
        with pytest.raises(RequirementError):
            do_set_requirements(component=ideas, user=admin_a, requirements=bad)
    assert list(ActionRequirement.objects.values_list("action", "handler")) == [("support", "census")]


def test_comments_need_their_verifications_too(ideas, proposal, admin_a, user_a):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("comment", None, "letter", None)])
    with pytest.raises(CommentNotAllowed, match="verified participants"):
        do_add_comment(user=user_a, resource=proposal, body="Bonne idée")
    _verify(user_a, "letter")
    ideas = _fresh(ideas)
    proposal.component = ideas
    assert do_add_comment(user=user_a, resource=proposal, body="Bonne idée").pk


def test_franceconnect_with_a_minimum_age(ideas, admin_a, org_a, franceconnect):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("create", None, "franceconnect", 18)])
    today = timezone.localdate()
    adult, minor, unknown, stranger = (UserFactory(organization=org_a) for _ in range(4))
    franceconnect[adult] = today.replace(year=today.year - 18)  # 18 today
    franceconnect[minor] = today.replace(year=today.year - 18) + datetime.timedelta(days=1)
    franceconnect[unknown] = None
    ideas = _fresh(ideas)
    assert adult.has_perm("proposals.create", ideas)
    assert [m.reason for m in missing_verifications(minor, ideas, "create")] == ["too_young"]
    assert [m.reason for m in missing_verifications(unknown, ideas, "create")] == ["no_birth_date"]
    assert [m.reason for m in missing_verifications(stranger, ideas, "create")] == ["not_verified"]
    assert not any(user.has_perm("proposals.create", ideas) for user in (minor, unknown, stranger))
    # An Authorization row does not stand in for the identity.
    _verify(stranger, "franceconnect")
    assert not stranger.has_perm("proposals.create", _fresh(ideas))


def test_too_young_gets_no_verification_link(client_a, ideas, admin_a, org_a, franceconnect):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("create", None, "franceconnect", 18)])
    minor = UserFactory(organization=org_a)
    franceconnect[minor] = timezone.localdate() - datetime.timedelta(days=365 * 10)
    client_a.force_login(minor)
    html = client_a.get(f"/authorizations/required/{ideas.pk}/create/").content.decode()
    assert "18 ans ou plus" in html and "/authorizations/census/" not in html


def test_tenants_are_isolated(client_a, client_b, ideas, admin_a, org_b):
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    url = f"/admin/authorizations/spaces/{ideas.space.pk}/components/{ideas.pk}/"
    assert client_b.get(url).status_code == 404
    assert client_b.post(url, {"support-all-handlers": ["census"]}).status_code == 404
    assert client_b.get(f"/authorizations/required/{ideas.pk}/support/").status_code == 404
    assert not ActionRequirement.objects.exists()
    # A space admin of org A who is not an admin of this space cannot either.
    participant = UserFactory(organization=ideas.space.organization)
    client_a.force_login(participant)
    assert client_a.post(url, {"support-all-handlers": ["census"]}).status_code == 403
    assert not ActionRequirement.objects.exists()


def test_verification_page_refuses_outside_links(client_a, ideas, admin_a, user_a):
    do_set_requirements(component=ideas, user=admin_a, requirements=[("support", None, "census", None)])
    _verify(user_a)
    client_a.force_login(user_a)
    response = client_a.get(f"/authorizations/required/{ideas.pk}/support/?next=https://evil.example/")
    assert response.status_code == 302 and response["Location"] == ideas.get_absolute_url()
    assert client_a.get(f"/authorizations/required/{ideas.pk}/vote/").status_code == 404
