"""Log-in, sign-up, link and unlink against the real provider process, over HTTP."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from civitas.authorizations.handlers import is_authorized
from civitas.authorizations.identity import verified_identity
from civitas.authorizations.models import Authorization
from civitas.identity.models import KEPT_NAMES, ProviderAccount
from civitas.identity.tests.provider_process import SUBJECTS, path_and_query

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client, provider, **data):
    response = client.post(f"/identity/{provider.pk}/start/", data)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def finish_sign_up(client, nickname="angela"):
    return client.post(
        "/identity/sign-up/",
        {
            "name": "Angela Dubois",
            "nickname": nickname,
            "email": "wossewodda-3728@yopmail.com",
            "accept_terms": "on",
        },
    )


def test_a_new_person_signs_up_with_franceconnect(visitor_a, franceconnect_a, person, oidc_provider):
    authorization_url = start(visitor_a, franceconnect_a, next="/spaces/")
    query = parse_qs(urlsplit(authorization_url).query)
    assert authorization_url.startswith(oidc_provider.issuer)
    assert query["acr_values"] == ["eidas1"]
    assert query["scope"] == ["openid given_name family_name birthdate birthplace email"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["code_challenge_method"] == ["S256"]  # the provider offers PKCE

    response = visitor_a.get(path_and_query(person.answer(authorization_url)))
    assert response.status_code == 302 and response["Location"] == "/identity/sign-up/"
    assert not User.objects.filter(organization=franceconnect_a.organization).exists()

    page = visitor_a.get("/identity/sign-up/")
    assert page.status_code == 200
    assert page.context["form"].initial == {
        "name": "Angela Claire Louise DUBOIS",
        "email": "wossewodda-3728@yopmail.com",
    }
    response = finish_sign_up(visitor_a)
    assert response.status_code == 302 and response["Location"] == "/spaces/"

    user = User.objects.get(organization=franceconnect_a.organization)
    assert not user.has_usable_password()
    assert user.email_confirmed_at is not None  # FranceConnect's address is vouched for
    account = ProviderAccount.objects.get(user=user)
    assert account.subject == SUBJECTS["angela"]
    # The organization keeps the birth data (KEPT_BIRTH), not the names nor the address.
    assert (account.birth_date, account.birth_place) == (datetime.date(1962, 8, 24), "75107")
    assert (account.given_name, account.family_name, account.email) == ("", "", "")
    assert is_authorized(user, "franceconnect")
    identity = verified_identity(user, "franceconnect")
    assert identity.subject == SUBJECTS["angela"] and identity.birth_place == "75107"
    assert identity.age_on(datetime.date(2026, 8, 24)) == 64
    assert visitor_a.get("/identity/settings/").status_code == 200  # logged in


def test_a_returning_person_logs_in_and_logs_out_at_the_provider_too(visitor_a, franceconnect_a, person):
    visitor_a.get(path_and_query(person.answer(start(visitor_a, franceconnect_a))))
    finish_sign_up(visitor_a)
    response = visitor_a.post("/accounts/logout/")
    logout_url = response["Location"]
    query = parse_qs(urlsplit(logout_url).query)
    assert logout_url.startswith(franceconnect_a.discovery_url.split("/.well-known")[0] + "/session/end")
    assert query["post_logout_redirect_uri"] == ["http://commune-a.test/identity/logged-out/"]
    assert query["id_token_hint"][0].count(".") == 2
    back = visitor_a.get(f"/identity/logged-out/?state={query['state'][0]}")
    assert "Vous êtes déconnecté, ici et auprès de votre fournisseur d’identité." in messages_of(back)

    response = visitor_a.get(
        path_and_query(person.answer(start(visitor_a, franceconnect_a, next="/spaces/")))
    )
    assert response.status_code == 302 and response["Location"] == "/spaces/"
    assert User.objects.filter(organization=franceconnect_a.organization).count() == 1
    assert ProviderAccount.objects.get().last_login_at is not None


def test_only_the_data_the_organization_keeps_is_stored(visitor_a, oidc_provider, org_a, person):
    from civitas.identity.tests.conftest import make_provider

    provider = make_provider(oidc_provider, org_a, kept_data=[KEPT_NAMES])
    visitor_a.get(path_and_query(person.answer(start(visitor_a, provider), person="karim")))
    visitor_a.post(
        "/identity/sign-up/",
        {"name": "Karim", "nickname": "karim", "email": "karim@example.org", "accept_terms": "on"},
    )
    account = ProviderAccount.objects.get()
    assert (account.given_name, account.family_name) == ("Karim", "BENALI")
    assert account.birth_date is None and account.birth_place == "" and account.email == ""
    user = account.user
    # Another address than the provider's must be confirmed by e-mail.
    assert user.email == "karim@example.org" and user.email_confirmed_at is None
    assert verified_identity(user, "franceconnect").birth_date is None


def test_an_existing_account_links_and_unlinks_franceconnect(
    client_a, user_a, franceconnect_a, person, password
):
    client_a.force_login(user_a)
    response = client_a.get(path_and_query(person.answer(start(client_a, franceconnect_a))))
    assert response["Location"] == "/identity/settings/"
    account = ProviderAccount.objects.get(user=user_a)
    assert account.subject == SUBJECTS["angela"] and is_authorized(user_a, "franceconnect")

    response = client_a.post(f"/identity/settings/unlink/{account.pk}/")
    assert not ProviderAccount.objects.filter(user=user_a).exists()
    assert not is_authorized(user_a, "franceconnect")
    assert "Votre compte n’est plus lié à FranceConnect." in messages_of(response)


def test_the_last_way_to_log_in_cannot_be_unlinked(visitor_a, franceconnect_a, person):
    visitor_a.get(path_and_query(person.answer(start(visitor_a, franceconnect_a))))
    finish_sign_up(visitor_a)
    account = ProviderAccount.objects.get()
    response = visitor_a.post(f"/identity/settings/unlink/{account.pk}/")
    assert ProviderAccount.objects.filter(pk=account.pk).exists()
    assert any("seul moyen de vous connecter" in message for message in messages_of(response))


def test_an_identity_linked_to_another_account_is_refused(
    client_a, user_a, visitor_a, franceconnect_a, password
):
    from civitas.identity.tests.provider_process import ProviderUser

    visitor_a.get(
        path_and_query(
            ProviderUser(franceconnect_a.discovery_url.split("/.well")[0]).answer(
                start(visitor_a, franceconnect_a)
            )
        )
    )
    finish_sign_up(visitor_a)
    client_a.force_login(user_a)
    someone = ProviderUser(franceconnect_a.discovery_url.split("/.well")[0])
    response = client_a.get(path_and_query(someone.answer(start(client_a, franceconnect_a))))
    assert not ProviderAccount.objects.filter(user=user_a).exists()
    assert any("déjà liée à un autre compte" in message for message in messages_of(response))


def test_a_deleted_account_loses_its_links(visitor_a, franceconnect_a, person):
    from civitas.accounts.services import do_delete_account

    visitor_a.get(path_and_query(person.answer(start(visitor_a, franceconnect_a))))
    finish_sign_up(visitor_a)
    do_delete_account(User.objects.get(organization=franceconnect_a.organization))
    assert not ProviderAccount.objects.exists()


def test_the_gdpr_export_holds_the_link(visitor_a, franceconnect_a, person):
    import io
    import json
    import zipfile

    from civitas.core.gdpr import build_export

    visitor_a.get(path_and_query(person.answer(start(visitor_a, franceconnect_a))))
    finish_sign_up(visitor_a)
    archive = zipfile.ZipFile(
        io.BytesIO(build_export(User.objects.get(organization=franceconnect_a.organization)))
    )
    rows = json.loads(archive.read("identity_providers.json"))
    assert rows[0]["subject"] == SUBJECTS["angela"]
    assert rows[0]["birth_date"] == "1962-08-24" and rows[0]["birth_place"] == "75107"


def test_a_two_factor_account_is_still_asked_its_code(client_a, user_a, franceconnect_a, person, password):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client_a.force_login(user_a)
    client_a.get(path_and_query(person.answer(start(client_a, franceconnect_a))))
    client_a.logout()
    TOTPDevice.objects.create(user=user_a, name="app", confirmed=True)
    response = client_a.get(path_and_query(person.answer(start(client_a, franceconnect_a))))
    assert response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client_a.session


def test_no_sign_up_when_the_organization_allows_none(visitor_a, franceconnect_a, person):
    franceconnect_a.allow_sign_up = False
    franceconnect_a.save()
    response = visitor_a.get(path_and_query(person.answer(start(visitor_a, franceconnect_a))))
    assert response["Location"] == "/accounts/login/"
    assert any("Aucun compte n’est encore lié" in message for message in messages_of(response))
    assert visitor_a.get("/identity/sign-up/")["Location"] == "/accounts/login/"
    assert not User.objects.exists() and not Authorization.objects.exists()


def test_signing_up_with_a_provider_accepts_the_terms_in_force(visitor_a, franceconnect_a, person, admin_a):
    from civitas.legal import services as legal
    from civitas.legal.models import TermsAcceptance

    version = legal.do_publish_terms(
        organization=franceconnect_a.organization, user=admin_a, title="", body="Règles", summary="Nouvelles"
    )
    authorization_url = start(visitor_a, franceconnect_a, next="/spaces/")
    visitor_a.get(path_and_query(person.answer(authorization_url)))
    assert finish_sign_up(visitor_a)["Location"] == "/spaces/"
    user = User.objects.get(organization=franceconnect_a.organization, nickname="angela")
    assert [a.version for a in TermsAcceptance.objects.filter(user=user)] == [version]
    assert visitor_a.get("/spaces/").status_code == 200  # not asked again
