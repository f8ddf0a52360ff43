"""Rate limits on what logged-in participants post, and the client address behind a proxy."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory, override_settings

from civitas.accounts.throttle import client_ip
from civitas.comments.models import Comment
from civitas.components.proposals import services
from civitas.testing.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]

SMALL = {"comment": (None, "3/10m"), "support": (None, "4/10m"), "comment_vote": (None, "2/10m")}


@pytest.fixture
def proposal(proposals_component, admin_a):
    draft = services.do_create_draft(
        user=admin_a, component=proposals_component, title="Un jardin partagé rue Pasteur", body="Texte."
    )
    services.do_publish(proposal=draft, user=admin_a)
    return draft


@override_settings(CIVITAS_RATE_LIMITS=SMALL)
def test_a_fourth_comment_within_ten_minutes_is_refused(client_a, user_a, proposal):
    client_a.force_login(user_a)
    content_type = ContentType.objects.get_for_model(proposal)
    url = f"/comments/{content_type.pk}/{proposal.pk}/add/"
    for index in range(3):
        response = client_a.post(url, {"body": f"Avis numéro {index} sur le jardin", "alignment": "neutral"})
        assert response.status_code == 302
    response = client_a.post(url, {"body": "Encore un avis", "alignment": "neutral"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.filter(author=user_a).count() == 3
    # Someone else is not slowed down by the first person's limit.
    other = UserFactory(organization=user_a.organization)
    client_a.force_login(other)
    assert client_a.post(url, {"body": "Mon premier avis", "alignment": "neutral"}).status_code == 302


@override_settings(CIVITAS_RATE_LIMITS=SMALL)
def test_support_toggling_is_limited(client_a, user_a, proposal):
    client_a.force_login(user_a)
    url = proposal.get_absolute_url() + "support/"
    for action in ("support", "withdraw", "support", "withdraw"):
        assert client_a.post(url, {"action": action}).status_code == 302
    assert client_a.post(url, {"action": "support"}).status_code == 429
    assert not proposal.supports.filter(user=user_a).exists()


@override_settings(CIVITAS_BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_it_saw_counts():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # the forged first entry is ignored


@override_settings(CIVITAS_BEHIND_PROXY=False)
def test_without_a_proxy_the_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "198.51.100.4"
