import pytest
from django.test import Client
from django.urls import reverse

from civitas.identity.kinds import FRANCECONNECT
from civitas.identity.models import KEPT_BIRTH, IdentityProvider
from civitas.identity.tests.provider_process import ProviderUser, start_provider
from civitas.organizations.links import absolute_url


@pytest.fixture(scope="session")
def oidc_provider():
    """The real OpenID Connect provider, one process for the whole session (per xdist worker)."""
    running = start_provider()
    yield running
    running.stop()


def make_provider(
    running, organization, *, kind=FRANCECONNECT, name="FranceConnect", client_name="civitas", **fields
):
    """An identity provider of ``organization`` pointing at ``running``, with a client registered there."""
    provider = IdentityProvider.objects.create(
        organization=organization,
        kind=kind,
        name=name,
        discovery_url=running.discovery_url,
        client_id="pending",
        client_secret="pending",
        scopes=fields.pop("scopes", "openid given_name family_name birthdate birthplace email"),
        acr_values=fields.pop("acr_values", "eidas1"),
        kept_data=fields.pop("kept_data", [KEPT_BIRTH]),
        **fields,
    )
    registered = running.register_client(
        redirect_uris=[absolute_url(organization, reverse("identity:callback", args=[provider.pk]))],
        post_logout_redirect_uris=[absolute_url(organization, reverse("identity:logged_out"))],
        client_name=client_name,
    )
    provider.client_id = registered["client_id"]
    provider.client_secret = registered["client_secret"]
    provider.save()
    return provider


@pytest.fixture
def franceconnect_a(oidc_provider, org_a):
    return make_provider(oidc_provider, org_a)


@pytest.fixture
def person(oidc_provider):
    return ProviderUser(oidc_provider.issuer)


@pytest.fixture
def visitor_a(org_a):
    return Client(HTTP_HOST=org_a.host)
