"""An organization never sees, nor lets in, another organization's accounts."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from civitas.testing.captcha import log_in, solved_fields
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_account_of_a_cannot_log_in_on_b(client_b, user_a, password):
    response = client_b.post("/accounts/login/", {"username": user_a.email, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client_b.session


def test_same_email_two_accounts_two_passwords(org_a, org_b):
    UserFactory(organization=org_a, email="sam@example.org", nickname="sam", password="mot de passe de A!")
    UserFactory(organization=org_b, email="sam@example.org", nickname="sam", password="mot de passe de B!")
    client_a, client_b = Client(HTTP_HOST=org_a.host), Client(HTTP_HOST=org_b.host)
    assert log_in(client_a, org_a, "sam@example.org", "mot de passe de B!").status_code == 200
    assert log_in(client_a, org_a, "sam@example.org", "mot de passe de A!").status_code == 302
    assert log_in(client_b, org_b, "sam@example.org", "mot de passe de B!").status_code == 302


def test_session_of_a_replayed_on_b_is_anonymous(org_a, org_b, user_a):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    assert client.get("/accounts/settings/").status_code == 200
    # Same cookie jar, other host: the session must not open commune B's pages.
    response = client.get("/accounts/settings/", HTTP_HOST=org_b.host)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "alice" not in client.get("/", HTTP_HOST=org_b.host).content.decode()


def test_pages_of_b_never_show_people_of_a(client_b, user_a, admin_a):
    assert client_b.get(f"/profiles/{user_a.nickname}/").status_code == 404
    for path in ("/", "/accounts/login/", "/accounts/signup/", "/terms/"):
        body = client_b.get(path).content.decode()
        assert "Commune A" not in body and user_a.nickname not in body and user_a.email not in body


def test_password_reset_link_of_a_does_not_work_on_b(client_a, client_b, org_a, user_a, on_commit):
    page = client_a.get("/accounts/password/reset/").content.decode()
    with on_commit():
        client_a.post("/accounts/password/reset/", {"email": user_a.email, **solved_fields(page, org_a)})
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path = link.split("commune-a.test", 1)[1]
    response = client_b.get(path, follow=True)
    assert "ne fonctionne pas" in response.content.decode()


def test_reset_request_on_b_does_not_mail_accounts_of_a(client_b, org_b, user_a, on_commit):
    page = client_b.get("/accounts/password/reset/").content.decode()
    with on_commit():
        client_b.post("/accounts/password/reset/", {"email": user_a.email, **solved_fields(page, org_b)})
    assert mail.outbox == []


def test_confirmation_link_of_a_does_nothing_on_b(client_b, org_a):
    from civitas.accounts.tokens import make_email_token

    user = UserFactory(organization=org_a, email_confirmed_at=None)
    assert client_b.get(f"/accounts/confirm/{make_email_token(user, user.email)}/").status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed_at is None


def test_admin_of_a_is_refused_in_b_back_office(client_b, admin_a):
    client_b.force_login(admin_a)
    response = client_b.get("/admin/")
    assert response.status_code in (302, 403)
    assert b"Commune A" not in response.content


def test_nicknames_are_case_insensitive_within_an_organization_only(org_a, org_b):
    UserFactory(organization=org_a, nickname="Jean")
    UserFactory(organization=org_b, nickname="jean")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(organization=org_a, nickname="JEAN")
    assert get_user_model().objects.filter(nickname__iexact="jean").count() == 2
