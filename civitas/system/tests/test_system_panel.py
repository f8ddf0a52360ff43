import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from civitas.organizations.models import Organization

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def system_admin(db):
    return User.objects.create_superuser("root@install.test", "system password 123")


@pytest.fixture
def system_client(org_a, system_admin):
    client = Client(HTTP_HOST=org_a.host)
    response = client.post(
        "/system/login/", {"email": "root@install.test", "password": "system password 123"}
    )
    assert response.status_code == 302
    return client


def test_create_organization_command(capsys):
    call_command(
        "create_organization",
        "--name",
        "Métropole",
        "--host",
        "Participation.Metropole.test",
        "--admin-email",
        "elu@metropole.test",
        "--secondary-host",
        "www.metropole.test",
    )
    organization = Organization.objects.get(host="participation.metropole.test")
    admin = User.objects.get(organization=organization)
    assert admin.is_organization_admin and admin.email_confirmed
    assert "password:" in capsys.readouterr().out
    assert organization.secondary_hosts.get().host == "www.metropole.test"


@pytest.mark.parametrize("host", ["not a host", "commune-a.test"])
def test_create_organization_command_refuses_bad_or_taken_host(org_a, host):
    with pytest.raises(CommandError):
        call_command("create_organization", "--name", "X", "--host", host, "--admin-email", "x@x.test")
    assert Organization.objects.count() == 1


def test_system_panel_needs_a_system_admin(client_a, admin_a, system_admin):
    assert client_a.get("/system/").status_code == 302
    client_a.force_login(admin_a)  # an organization admin is not a system admin
    assert client_a.get("/system/").status_code == 302
    response = client_a.post(
        "/system/login/", {"email": admin_a.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 200


def test_system_admin_is_nobody_on_organization_pages(system_client):
    assert system_client.get("/accounts/settings/").status_code == 302
    assert system_client.get("/admin/").status_code == 302


def test_system_admin_creates_an_organization_and_its_admin_is_mailed(system_client, on_commit):
    with on_commit():
        response = system_client.post(
            "/system/organizations/new/",
            {
                "name": "Commune C",
                "host": "commune-c.test",
                "secondary_hosts": "www.commune-c.test",
                "default_locale": "fr",
                "available_locales": ["fr", "en"],
                "primary_colour": "#005f73",
                "secondary_colour": "#ee9b00",
                "contact_email": "mairie@commune-c.test",
                "signup_open": "on",
                "external_domain_allowlist": "service-public.fr\nwww.legifrance.gouv.fr",
                "admin_email": "maire@commune-c.test",
                "admin_name": "Maire de C",
            },
        )
    assert response.status_code == 302
    organization = Organization.objects.get(host="commune-c.test")
    assert organization.external_domain_allowlist == ["service-public.fr", "www.legifrance.gouv.fr"]
    assert mail.outbox[-1].to == ["maire@commune-c.test"]
    assert "http://commune-c.test/accounts/password/reset/" in mail.outbox[-1].body


def test_system_admin_edits_an_organization_with_validation(system_client, org_a, org_b):
    url = f"/system/organizations/{org_b.pk}/"
    assert system_client.get(url).status_code == 200
    response = system_client.post(
        url,
        {
            "name": "Commune B",
            "host": org_a.host,
            "default_locale": "fr",
            "available_locales": ["fr"],
            "primary_colour": "#000000",
            "secondary_colour": "#ffffff",
        },
    )
    assert response.status_code == 200  # host taken: refused, nothing saved
    org_b.refresh_from_db()
    assert org_b.host == "commune-b.test"
    response = system_client.post(
        url,
        {
            "name": "Commune B renommée",
            "host": "commune-b.test",
            "default_locale": "en",
            "available_locales": ["fr"],
            "primary_colour": "#000000",
            "secondary_colour": "#ffffff",
        },
    )
    assert response.status_code == 200  # default language not among the available ones
    response = system_client.post(
        url,
        {
            "name": "Commune B renommée",
            "host": "commune-b.test",
            "default_locale": "fr",
            "available_locales": ["fr"],
            "primary_colour": "#000000",
            "secondary_colour": "#ffffff",
            "signup_open": "",
        },
    )
    assert response.status_code == 302
    org_b.refresh_from_db()
    assert org_b.name == "Commune B renommée" and not org_b.signup_open and org_b.available_locales == ["fr"]


def test_system_panel_on_a_dedicated_host(settings, system_admin):
    settings.CIVITAS_SYSTEM_HOSTS = ["system.install.test"]
    client = Client(HTTP_HOST="system.install.test")
    assert client.get("/system/login/").status_code == 200
    assert client.get("/").status_code == 404
