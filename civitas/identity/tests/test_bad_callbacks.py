"""Forged, replayed, expired or refused answers, a provider that is down: a clear message, nothing stored."""

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.test import Client
from joserfc.errors import InvalidClaimError

from civitas.authorizations.models import Authorization
from civitas.identity import client as identity_client
from civitas.identity.models import ProviderAccount
from civitas.identity.tests.conftest import make_provider
from civitas.identity.tests.provider_process import ProviderUser, path_and_query, start_provider

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client, provider):
    response = client.post(f"/identity/{provider.pk}/start/")
    assert response.status_code == 302
    return response["Location"]


def message_of(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def assert_nothing_stored(organization):
    assert not User.objects.filter(organization=organization).exists()
    assert not ProviderAccount.objects.exists()
    assert not Authorization.objects.exists()


def replace_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return f"{parts.path}?{urlencode(query)}"


def test_refused_consent(visitor_a, franceconnect_a, person, org_a):
    back = person.answer(start(visitor_a, franceconnect_a), decision="deny")
    assert parse_qs(urlsplit(back).query)["error"] == ["access_denied"]
    response = visitor_a.get(path_and_query(back))
    assert response["Location"] == "/accounts/login/"
    assert "Vous avez annulé la connexion avec FranceConnect. Rien n’a été modifié." in message_of(response)
    assert_nothing_stored(org_a)


def test_a_wrong_state(visitor_a, franceconnect_a, person, org_a):
    back = person.answer(start(visitor_a, franceconnect_a))
    response = visitor_a.get(replace_query(back, state="forged-" + "x" * 40))
    assert "Ce lien de connexion est inconnu, expiré ou déjà utilisé." in message_of(response)
    assert_nothing_stored(org_a)


def test_an_answer_carried_to_another_browser(visitor_a, franceconnect_a, person, org_a):
    """Log-in CSRF: someone's own answer, sent to a victim, finds no log-in waiting there."""
    back = person.answer(start(visitor_a, franceconnect_a))
    victim = Client(HTTP_HOST=org_a.host)
    response = victim.get(path_and_query(back))
    assert "Ce lien de connexion est inconnu" in message_of(response)
    assert "_auth_user_id" not in victim.session
    assert_nothing_stored(org_a)


def test_a_wrong_nonce(visitor_a, franceconnect_a, person, org_a):
    authorization_url = start(visitor_a, franceconnect_a)
    state = parse_qs(urlsplit(authorization_url).query)["state"][0]
    # The ID token carries the nonce of the request; the session now expects another.
    session = visitor_a.session
    key = f"_state_civitas_identity_{franceconnect_a.pk}_{state}"
    data = session[key]
    data["data"]["nonce"] = "n" * 48
    session[key] = data
    session.save()
    response = visitor_a.get(path_and_query(person.answer(authorization_url)))
    assert "L’identité transmise par FranceConnect n’a pas pu être vérifiée." in message_of(response)
    assert_nothing_stored(org_a)


def test_a_replayed_callback(visitor_a, franceconnect_a, person, org_a):
    back = path_and_query(person.answer(start(visitor_a, franceconnect_a)))
    first = visitor_a.get(back)
    assert first["Location"] == "/identity/sign-up/"
    again = visitor_a.get(back)
    assert "Ce lien de connexion est inconnu, expiré ou déjà utilisé." in message_of(again)
    assert_nothing_stored(org_a)  # the sign-up form was never sent


def test_a_replayed_code_with_a_new_state(visitor_a, franceconnect_a, person, org_a):
    """The code alone, under a state the browser really has: the provider refuses it twice."""
    back = person.answer(start(visitor_a, franceconnect_a))
    visitor_a.get(path_and_query(back))
    fresh_state = parse_qs(urlsplit(start(visitor_a, franceconnect_a)).query)["state"][0]
    response = visitor_a.get(replace_query(back, state=fresh_state))
    assert "a expiré ou a déjà été utilisée" in message_of(response)
    assert_nothing_stored(org_a)


def test_an_expired_code(visitor_a, oidc_provider, org_a, person):
    provider = make_provider(oidc_provider, org_a, client_name="expired-code-test")  # codes live 1 s
    back = person.answer(start(visitor_a, provider))
    time.sleep(2.2)
    response = visitor_a.get(path_and_query(back))
    assert "La réponse de FranceConnect a expiré ou a déjà été utilisée." in message_of(response)
    assert_nothing_stored(org_a)


def test_a_provider_that_is_down_at_the_start(visitor_a, org_a):
    from civitas.identity.models import IdentityProvider

    provider = IdentityProvider.objects.create(
        organization=org_a,
        kind="franceconnect",
        name="FranceConnect",
        discovery_url="http://127.0.0.1:9/.well-known/openid-configuration",
        client_id="civitas",
        client_secret="secret",
        scopes="openid",
    )
    response = visitor_a.post(f"/identity/{provider.pk}/start/")
    assert response["Location"] == "/accounts/login/"
    assert "FranceConnect ne répond pas pour le moment." in message_of(response)
    assert_nothing_stored(org_a)


def test_a_provider_that_goes_down_before_the_code_is_exchanged(visitor_a, org_a):
    running = start_provider()
    try:
        provider = make_provider(running, org_a)
        back = ProviderUser(running.issuer).answer(start(visitor_a, provider))
    finally:
        running.stop()
    response = visitor_a.get(path_and_query(back))
    assert "FranceConnect ne répond pas pour le moment. Rien n’a été modifié" in message_of(response)
    assert_nothing_stored(org_a)


def test_an_answer_naming_another_issuer(visitor_a, franceconnect_a, person, org_a):
    """RFC 9207: an answer that says it comes from another provider is a mix-up attack."""
    back = person.answer(start(visitor_a, franceconnect_a))
    response = visitor_a.get(replace_query(back, iss="https://attacker.example"))
    assert "n’a pas pu être vérifiée" in message_of(response)
    assert_nothing_stored(org_a)


def test_an_id_token_for_another_client(oidc_provider, org_a):
    """A genuine ID token of the same provider, issued to another client, is refused."""
    ours = make_provider(oidc_provider, org_a)
    theirs = oidc_provider.register_client(redirect_uris=["http://other.test/cb"])
    other = OAuth2Session(
        theirs["client_id"], theirs["client_secret"], scope="openid", redirect_uri="http://other.test/cb"
    )
    metadata = requests.get(oidc_provider.discovery_url, timeout=10).json()
    url, _state = other.create_authorization_url(metadata["authorization_endpoint"], nonce="a" * 40)
    back = ProviderUser(oidc_provider.issuer).answer(url)
    token = other.fetch_token(metadata["token_endpoint"], authorization_response=back)

    app = identity_client._client(ours, identity_client.load_metadata(ours))
    options = {
        "iss": {"essential": True, "values": [metadata["issuer"]]},
        "aud": {"essential": True, "values": [ours.client_id]},
    }
    with pytest.raises(InvalidClaimError, match="aud"):
        app.parse_id_token(token, nonce="a" * 40, claims_options=options)
    # The same token passes for the client it was issued to: only the audience differs.
    theirs_options = {**options, "aud": {"essential": True, "values": [theirs["client_id"]]}}
    app.client_id = theirs["client_id"]
    assert app.parse_id_token(token, nonce="a" * 40, claims_options=theirs_options)["sub"]


def test_another_organizations_provider_is_not_found(visitor_a, oidc_provider, org_b, person):
    provider_b = make_provider(oidc_provider, org_b)
    assert visitor_a.post(f"/identity/{provider_b.pk}/start/").status_code == 404
    assert visitor_a.get(f"/identity/{provider_b.pk}/callback/?state=x&code=y").status_code == 404


def test_a_disabled_provider_is_not_offered(visitor_a, franceconnect_a):
    franceconnect_a.enabled = False
    franceconnect_a.save()
    assert "FranceConnect" not in visitor_a.get("/accounts/login/").content.decode()
    assert visitor_a.post(f"/identity/{franceconnect_a.pk}/start/").status_code == 404


def test_starting_needs_a_post_with_csrf(org_a, franceconnect_a):
    strict = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    assert strict.post(f"/identity/{franceconnect_a.pk}/start/").status_code == 403
    assert strict.get(f"/identity/{franceconnect_a.pk}/start/").status_code == 405
