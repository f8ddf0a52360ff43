"""Links in e-mails go to the organization's own host, whatever Host header the request carried.

The organization is found by the host's name alone, so ``Host: commune-a.test:9999`` (or an
attacker's proxy) still reaches commune A: a reset link built from that header would send the
token to a port, or a server, the attacker listens on.
"""

import re

import pytest
from django.core import mail
from django.test import Client

from civitas.notifications.services import notify_later
from civitas.testing.captcha import solved_fields
from civitas.testing.participation import published_space

pytestmark = pytest.mark.django_db
FORGED = "commune-a.test:9999"


def _links_in_last_mail() -> list[str]:
    message = mail.outbox[-1]
    html = message.alternatives[0][0] if message.alternatives else ""
    return re.findall(r"https?://[^\s\"<]+", message.body + "\n" + html)


def _request_reset(client, org, email):
    page = client.get("/accounts/password/reset/").content.decode()
    return client.post("/accounts/password/reset/", {"email": email, **solved_fields(page, org)})


def test_password_reset_link_ignores_a_forged_host_port(org_a, user_a, on_commit):
    client = Client(HTTP_HOST=FORGED)
    with on_commit():
        assert _request_reset(client, org_a, user_a.email).status_code == 302
    assert mail.outbox[-1].to == [user_a.email]
    links = _links_in_last_mail()
    assert links and all(link.startswith("http://commune-a.test/accounts/password/reset/") for link in links)
    assert "9999" not in mail.outbox[-1].body


def test_links_take_the_configured_scheme_and_port_not_the_request(org_a, user_a, on_commit, settings):
    settings.HTTPS, settings.CIVITAS_LINK_PORT = True, 8443
    # Plain http with a forged port: neither the scheme nor the port of the request counts.
    client = Client(HTTP_HOST=FORGED, SERVER_PORT="9999")
    with on_commit():
        _request_reset(client, org_a, user_a.email)
    links = _links_in_last_mail()
    assert links and all(link.startswith("https://commune-a.test:8443/accounts/password/") for link in links)


def test_confirmation_links_ignore_a_forged_host_port(org_a, user_a, password, on_commit):
    client = Client(HTTP_HOST=FORGED)
    page = client.get("/accounts/signup/").content.decode()
    with on_commit():
        client.post(
            "/accounts/signup/",
            {
                "name": "Zoé Lambert",
                "nickname": "zoe",
                "email": "zoe@example.org",
                "password1": "un mot de passe solide",
                "password2": "un mot de passe solide",
                "accept_terms": "on",
                **solved_fields(page, org_a),
            },
        )
    assert mail.outbox[-1].to == ["zoe@example.org"]
    links = _links_in_last_mail()
    assert links and all(link.startswith("http://commune-a.test/accounts/confirm/") for link in links)

    client.force_login(user_a)
    with on_commit():
        client.post("/accounts/settings/email/", {"email": "alice.new@example.org", "password": password})
    assert mail.outbox[-1].to == ["alice.new@example.org"]
    links = _links_in_last_mail()
    assert links and all(link.startswith("http://commune-a.test/accounts/confirm/") for link in links)


def test_notification_e_mails_use_the_organization_host(org_a, user_a, on_commit, settings):
    settings.CIVITAS_LINK_PORT = 8000
    with on_commit():
        notify_later(
            kind="phase_opened", params={"space": "S", "target": "T"}, url="/x/", user_ids=[user_a.pk]
        )
    links = _links_in_last_mail()
    assert links and all(link.startswith("http://commune-a.test:8000/") for link in links)


def test_api_page_links_ignore_a_forged_host_port(org_a, admin_a):
    # Anonymous API pages are cached publicly: a link from a forged header would be served on.
    published_space(org_a, admin_a, "Un")
    published_space(org_a, admin_a, "Deux")
    response = Client(HTTP_HOST=FORGED).get("/api/v1/spaces/?page_size=1")
    assert response.status_code == 200
    assert response.json()["next"].startswith("http://commune-a.test/api/v1/spaces/?page_size=1&cursor=")
