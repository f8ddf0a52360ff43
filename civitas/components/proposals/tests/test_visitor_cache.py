"""Anonymous visitors get cached pages that never show stale content."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from civitas.comments.services import do_add_comment, do_vote
from civitas.components.proposals import services
from civitas.components.proposals.views import SEED_COOKIE, SEED_COUNT
from civitas.moderation.services import do_block_user, do_report
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _publish(author, component, title):
    proposal = services.do_create_draft(
        user=author, component=component, title=title, body="Un texte assez long pour être publié."
    )
    services.do_publish(proposal=proposal, user=author)
    return proposal


def _visitor():
    return Client(HTTP_HOST="commune-a.test")


def _list(component, client=None):
    response = (client or _visitor()).get(component.get_absolute_url(), {"order": "recent"})
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_proposal_shows_at_once_to_visitors(participant, proposals_component):
    _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    assert "Des arceaux vélo" in _list(proposals_component)
    _publish(participant, proposals_component, "Un marché de producteurs le samedi")
    assert "Un marché de producteurs" in _list(proposals_component)


def test_the_second_visit_is_served_from_the_cache(
    participant, proposals_component, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    with CaptureQueriesContext(connection) as first:
        _list(proposals_component)
    with CaptureQueriesContext(connection) as second:
        _list(proposals_component)
    assert len(second) < len(first)


def test_support_counts_move_on_the_cached_page(participant, proposals_component, org_a):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    page = _visitor().get(proposal.get_absolute_url()).content.decode()
    assert '<p class="support-count"><strong>0</strong>' in page
    services.do_support(proposal=proposal, user=UserFactory(organization=org_a))
    page = _visitor().get(proposal.get_absolute_url()).content.decode()
    assert '<p class="support-count"><strong>1</strong>' in page


def _established_reporter(organization):
    # Reports weigh by the reporter's standing: a month-old account's report weighs 1.
    return UserFactory(organization=organization, date_joined=timezone.now() - timedelta(days=60))


def test_hidden_proposals_leave_the_cached_list(participant, proposals_component, org_a):
    org_a.report_threshold = 1
    org_a.save()
    proposal = _publish(participant, proposals_component, "Achetez des montres pas chères")
    assert "Achetez des montres" in _list(proposals_component)
    do_report(user=_established_reporter(org_a), resource=proposal, reason="spam")
    assert "Achetez des montres" not in _list(proposals_component)


def test_comments_and_their_votes_reach_the_cached_page(participant, proposals_component, org_a):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    assert "Bonne idée pour la gare" not in _visitor().get(proposal.get_absolute_url()).content.decode()
    neighbour = UserFactory(organization=org_a)
    comment = do_add_comment(user=neighbour, resource=proposal, body="<p>Bonne idée pour la gare</p>")
    page = _visitor().get(proposal.get_absolute_url()).content.decode()
    assert "Bonne idée pour la gare" in page
    before = page
    do_vote(user=participant, comment=comment, value=1)
    assert _visitor().get(proposal.get_absolute_url()).content.decode() != before


def test_blocking_an_author_clears_their_proposals_from_cached_pages(
    participant, proposals_component, admin_a
):
    _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    assert "Des arceaux vélo" in _list(proposals_component)
    do_block_user(admin=admin_a, user=participant, justification="Compte de spam")
    assert "Des arceaux vélo" not in _list(proposals_component)


def test_logged_in_people_see_their_own_page(participant, proposals_component, org_a):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    _list(proposals_component)  # fills the visitors' cache
    supporter = UserFactory(organization=org_a)
    services.do_support(proposal=proposal, user=supporter)
    client = _visitor()
    client.force_login(supporter)
    page = _list(proposals_component, client)
    assert 'aria-pressed="true"' in page
    assert "csrfmiddlewaretoken" in page


def _titles(response):
    return re.findall(r'class="proposal-title"><a [^>]+>([^<]+)<', response.content.decode())


def test_the_random_order_is_stable_through_the_cookie(participant, proposals_component):
    for index in range(12):
        _publish(participant, proposals_component, f"Proposition numéro {index} pour le quartier")
    visitor = _visitor()
    first = visitor.get(proposals_component.get_absolute_url())
    seed = first.cookies[SEED_COOKIE].value
    assert 1 <= int(seed) <= SEED_COUNT
    assert first.cookies[SEED_COOKIE]["httponly"]
    again = visitor.get(proposals_component.get_absolute_url())
    assert SEED_COOKIE not in again.cookies  # kept, not reset
    assert len(_titles(first)) == 12
    assert _titles(again) == _titles(first)
    # No session is written for an anonymous reader.
    assert "sessionid" not in first.cookies


def test_a_forged_seed_cookie_is_replaced(participant, proposals_component):
    visitor = _visitor()
    visitor.cookies[SEED_COOKIE] = "999999"
    response = visitor.get(proposals_component.get_absolute_url())
    assert response.status_code == 200
    assert 1 <= int(response.cookies[SEED_COOKIE].value) <= SEED_COUNT


def test_each_visitor_gets_their_own_working_token_on_a_cached_page(participant, proposals_component):
    from civitas.components.page_cache import CSRF_PLACEHOLDER

    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    pages = []
    for _ in range(2):
        visitor = Client(HTTP_HOST="commune-a.test", enforce_csrf_checks=True)
        response = visitor.get(proposal.get_absolute_url())
        page = response.content.decode()
        assert CSRF_PLACEHOLDER not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        # The language switcher of the shared page works for this visitor.
        switched = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302
        pages.append(page)
    assert pages[0] != pages[1]  # the same page, each with its own token


def test_a_cached_page_costs_only_the_queries_that_find_the_organization_and_component(
    participant, proposals_component, django_assert_max_num_queries
):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    _visitor().get(proposal.get_absolute_url())
    with django_assert_max_num_queries(2):
        assert _visitor().get(proposal.get_absolute_url()).status_code == 200


def test_a_page_with_a_message_for_the_visitor_is_not_shared(participant, proposals_component):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    _visitor().get(proposal.get_absolute_url())  # the shared page is cached
    visitor = _visitor()
    storage = CookieStorage(RequestFactory().get("/"))
    visitor.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.INFO, "Merci pour votre signalement")]
    )
    assert "Merci pour votre signalement" in visitor.get(proposal.get_absolute_url()).content.decode()
    assert "Merci pour votre signalement" not in _visitor().get(proposal.get_absolute_url()).content.decode()


def test_a_hidden_proposal_is_not_served_from_the_cache(participant, proposals_component, org_a):
    org_a.report_threshold = 1
    org_a.save()
    proposal = _publish(participant, proposals_component, "Achetez des montres pas chères")
    assert _visitor().get(proposal.get_absolute_url()).status_code == 200
    do_report(user=_established_reporter(org_a), resource=proposal, reason="spam")
    assert _visitor().get(proposal.get_absolute_url()).status_code == 404
