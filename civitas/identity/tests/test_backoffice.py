"""Organization admins set up providers; the secret is never shown back; tenants stay apart."""

import pytest
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.identity.models import IdentityProvider
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-never-shown-again-4242"


@pytest.fixture
def admin_client_a(org_a, admin_a):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    return client


def create_franceconnect(client):
    page = client.get("/admin/identity-providers/new/?kind=franceconnect")
    initial = page.context["form"].initial
    return client.post(
        "/admin/identity-providers/new/",
        {
            "kind": "franceconnect",
            "name": initial["name"],
            "discovery_url": initial["discovery_url"],
            "client_id": "civitas-commune-a",
            "client_secret": SECRET,
            "scopes": initial["scopes"],
            "acr_values": initial["acr_values"],
            "kept_data": ["birth"],
            "allow_sign_up": "on",
            "enabled": "on",
        },
    )


def test_franceconnect_starts_with_its_integration_environment(admin_client_a):
    form = admin_client_a.get("/admin/identity-providers/new/?kind=franceconnect").context["form"]
    assert form.initial["scopes"] == "openid given_name family_name birthdate birthplace email"
    assert form.initial["acr_values"] == "eidas1"
    assert form.initial["discovery_url"].startswith("https://fcp-low.sbx.dev-franceconnect.fr/")


def test_the_secret_is_saved_logged_as_changed_and_never_shown(admin_client_a, org_a):
    response = create_franceconnect(admin_client_a)
    assert response.status_code == 302
    provider = IdentityProvider.objects.get(organization=org_a)
    assert provider.client_secret == SECRET and provider.kept_data == ["birth"]
    page = admin_client_a.get(f"/admin/identity-providers/{provider.pk}/").content.decode()
    assert SECRET not in page
    assert f"http://commune-a.test/identity/{provider.pk}/callback/" in page
    # Left empty, the secret stays.
    admin_client_a.post(
        f"/admin/identity-providers/{provider.pk}/",
        {
            "name": "FranceConnect",
            "discovery_url": provider.discovery_url,
            "client_id": "civitas-commune-a",
            "client_secret": "",
            "scopes": provider.scopes,
            "acr_values": "eidas1",
        },
    )
    provider.refresh_from_db()
    assert provider.client_secret == SECRET and provider.enabled is False
    entries = ActionLogEntry.objects.filter(action__startswith="identity_provider.")
    assert entries.count() == 2
    assert all(SECRET not in str(entry.before) + str(entry.after) for entry in entries)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "discovery_url",
            "https://example.org/openid",
            "doit se terminer par /.well-known/openid-configuration",
        ),
        (
            "discovery_url",
            "http://idp.example.org/.well-known/openid-configuration",
            "doit commencer par https://",
        ),
        ("scopes", "profile email", "doivent comprendre « openid »"),
    ],
)
def test_bad_settings_are_refused(admin_client_a, org_a, field, value, message):
    data = {
        "kind": "oidc",
        "name": "Keycloak",
        "discovery_url": "https://sso.example.org/realms/town/.well-known/openid-configuration",
        "client_id": "civitas",
        "client_secret": "x",
        "scopes": "openid profile",
        field: value,
    }
    response = admin_client_a.post("/admin/identity-providers/new/", data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not IdentityProvider.objects.exists()


def test_an_admin_never_sees_another_organizations_providers(admin_client_a, org_b):
    UserFactory(organization=org_b, is_organization_admin=True)
    provider_b = IdentityProvider.objects.create(
        organization=org_b,
        kind="franceconnect",
        name="FranceConnect B",
        discovery_url="https://b.example/.well-known/openid-configuration",
        client_id="b",
        client_secret="b-secret",
        scopes="openid",
    )
    assert "FranceConnect B" not in admin_client_a.get("/admin/identity-providers/").content.decode()
    assert admin_client_a.get(f"/admin/identity-providers/{provider_b.pk}/").status_code == 404
    response = admin_client_a.post(
        f"/admin/identity-providers/{provider_b.pk}/",
        {
            "name": "taken over",
            "discovery_url": provider_b.discovery_url,
            "client_id": "x",
            "scopes": "openid",
        },
    )
    assert response.status_code == 404
    provider_b.refresh_from_db()
    assert provider_b.name == "FranceConnect B"


def test_participants_cannot_open_the_page(client_a, user_a):
    client_a.force_login(user_a)
    assert client_a.get("/admin/identity-providers/").status_code == 403
    assert client_a.get("/admin/identity-providers/new/?kind=oidc").status_code == 403


def test_unticking_a_kind_of_data_erases_it_from_linked_accounts(admin_client_a, org_a, user_a):
    import datetime

    from civitas.identity.models import ProviderAccount

    create_franceconnect(admin_client_a)
    provider = IdentityProvider.objects.get(organization=org_a)
    ProviderAccount.objects.create(
        user=user_a,
        provider=provider,
        subject="s",
        birth_date=datetime.date(1962, 8, 24),
        birth_place="75107",
    )
    admin_client_a.post(
        f"/admin/identity-providers/{provider.pk}/",
        {
            "name": "FranceConnect",
            "discovery_url": provider.discovery_url,
            "client_id": provider.client_id,
            "scopes": provider.scopes,
            "acr_values": "eidas1",
            "kept_data": [],
            "enabled": "on",
        },
    )
    account = ProviderAccount.objects.get(user=user_a)
    assert account.birth_date is None and account.birth_place == "" and account.subject == "s"
