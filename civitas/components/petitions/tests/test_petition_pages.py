"""What the petition pages offer and say: identities the organization can give, the way to
verify and back, paper signers, receipts checked by POST, withdrawal asked first, labels."""

import datetime
import html
import re

import pytest
from django.test import Client

from civitas.authorizations.identity import identity_handlers
from civitas.components.petitions import services
from civitas.components.petitions.models import Petition, Signature, Status
from civitas.components.petitions.tests.test_paper import LINE, MARIE, _count_line
from civitas.identity.models import IdentityProvider
from civitas.spaces.models import SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

BRANDS = {"franceconnect": "FranceConnect", "proconnect": "ProConnect"}


def _provider(org, kind, *, enabled=True):
    return IdentityProvider.objects.create(
        organization=org,
        kind=kind,
        name=BRANDS[kind] if enabled else f"{BRANDS[kind]} (ancien)",
        discovery_url="https://idp.example/.well-known/openid-configuration",
        client_id="civitas",
        client_secret="secret",
        scopes="openid",
        enabled=enabled,
    )


def _client(org, user=None):
    client = Client(HTTP_HOST=org.host)
    if user is not None:
        client.force_login(user)
    return client


def _submitted(component, author):
    petition = services.do_draft(
        user=author, component=component, title="Des bancs place du marché", body="x" * 60 + " des bancs."
    )
    services.do_submit(petition=petition, user=author)
    return petition


def _review_url(petition):
    component = petition.component
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/petitions/{petition.pk}/review/"


def _publish_post(admin_client, petition, handler):
    deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    return admin_client.post(
        _review_url(petition), {"decision": "publish", "deadline": deadline, "identity_handler": handler}
    )


def test_only_identities_the_organization_offers_can_be_required(
    org_a, org_b, admin_a, petitions_component, author
):
    petition = _submitted(petitions_component, author)
    admin = _client(org_a, admin_a)
    page = admin.get(_review_url(petition)).content.decode()
    # None set up: said, with the way to set one up, and no button that would publish.
    assert 'id="no-identity-provider"' in page and 'href="/admin/identity-providers/"' in page
    assert "Publier la pétition" not in page and 'name="identity_handler"' not in page
    response = _publish_post(admin, petition, "franceconnect")
    assert "ne peut pas être publiée : l’organisation n’a aucun fournisseur" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED

    # Disabled, or another organization's: still none. Enabled: that one only.
    _provider(org_a, "franceconnect", enabled=False)
    _provider(org_b, "proconnect")
    assert identity_handlers(org_a) == []
    _provider(org_a, "franceconnect")
    assert identity_handlers(org_a) == ["franceconnect"]
    page = admin.get(_review_url(petition)).content.decode()
    choices = re.findall(r'<option value="([^"]*)"', page)
    assert choices == ["franceconnect"]
    # The deadline comes filled in, as a date input reads it.
    default = services.default_deadline(petitions_component).isoformat()
    assert re.search(rf'name="deadline" value="{default}"', page)

    for handler in ("proconnect", "oidc"):
        assert "Sélectionnez un choix valide" in _publish_post(admin, petition, handler).content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.SUBMITTED
    _publish_post(admin, petition, "franceconnect")
    petition.refresh_from_db()
    assert petition.status == Status.PUBLISHED and petition.identity_handler == "franceconnect"


def _published_fc(org, admin, component, author):
    _provider(org, "franceconnect")
    petition = _submitted(component, author)
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    services.do_publish(petition=petition, user=admin, deadline=deadline, identity_handler="franceconnect")
    petition.refresh_from_db()
    return petition


def test_verifying_from_a_petition_says_why_links_first_and_comes_back(
    org_a, admin_a, petitions_component, author
):
    petition = _published_fc(org_a, admin_a, petitions_component, author)
    resident = _client(org_a, UserFactory(organization=org_a))
    page = resident.get(petition.get_absolute_url()).content.decode()
    verify = re.search(r'href="(/identity/settings/\?next=[^"]+)"', page).group(1)
    settings_page = resident.get(verify.replace("&amp;", "&")).content.decode()
    banner = settings_page.index("Pour signer la pétition « Des bancs place du marché », liez votre compte")
    link = settings_page.index("Lier FranceConnect")
    # Before the account menu, which fills a phone's first screen.
    assert banner < link < settings_page.index('aria-label="Paramètres du compte"')
    assert f'<input type="hidden" name="next" value="{petition.get_absolute_url()}">' in settings_page
    # No banner for an address that is not a petition to sign, nor for another page.
    for other in ("/", "/nowhere/", f"{petition.get_absolute_url()}count.json"):
        assert "Pour signer" not in resident.get("/identity/settings/", {"next": other}).content.decode()


def test_without_the_provider_the_petition_says_signing_is_not_available(
    org_a, admin_a, petitions_component, author
):
    petition = _published_fc(org_a, admin_a, petitions_component, author)
    IdentityProvider.objects.update(enabled=False)
    for client in (_client(org_a), _client(org_a, UserFactory(organization=org_a))):
        page = client.get(petition.get_absolute_url()).content.decode()
        assert 'id="signing-not-available"' in page and "La signature n’est pas encore possible" in page
        assert "/identity/settings/" not in page and "Se connecter pour signer" not in page


def _withdraw_buttons(page):
    return page.count("Retirer ma signature")


def test_a_paper_signer_is_told_so_and_offered_no_withdrawal(org_a, admin_a, make_petition, signer):
    petition = make_petition()
    _count_line(petition, admin_a, org_a, LINE)
    marie = _client(org_a, signer(**MARIE))
    page = marie.get(petition.get_absolute_url()).content.decode()
    assert "Votre signature sur papier est comptée" in page and "ne peut pas être retirée en ligne" in page
    assert _withdraw_buttons(page) == 0 and "Vous avez signé cette pétition." not in page
    assert marie.get(f"{petition.get_absolute_url()}withdraw/")["Location"] == petition.get_absolute_url()
    marie.post(f"{petition.get_absolute_url()}withdraw/", {"confirm": "1"})
    assert petition.counts()["paper"] == 1


def test_a_signature_from_another_account_is_not_withdrawable_here(org_a, make_petition, signer):
    petition = make_petition()
    services.do_sign(petition=petition, user=signer(**MARIE))
    # The same person, another provider account (another subject): matched by the person.
    second = _client(org_a, signer(subject="autre-compte", **MARIE))
    page = second.get(petition.get_absolute_url()).content.decode()
    assert "depuis un autre de vos comptes" in page and _withdraw_buttons(page) == 0
    assert second.get(f"{petition.get_absolute_url()}withdraw/")["Location"] == petition.get_absolute_url()


def test_withdrawing_asks_first_and_says_it_can_be_signed_again(org_a, make_petition, signer):
    petition = make_petition()
    person = signer()
    services.do_sign(petition=petition, user=person)
    client = _client(org_a, person)
    page = client.get(petition.get_absolute_url()).content.decode()
    withdraw = f"{petition.get_absolute_url()}withdraw/"
    assert f'href="{withdraw}"' in page  # a link to the question, not a button that withdraws
    day = f"{petition.deadline.day} "
    for asked in (client.get(withdraw), client.post(withdraw), client.post(withdraw, {"confirm": "0"})):
        text = asked.content.decode()
        assert asked.status_code == 200 and "Retirer votre signature ?" in text
        assert "Vous pourrez la signer à nouveau jusqu’au " + day in text
        assert Signature.objects.count() == 1
    client.post(withdraw, {"confirm": "1"})
    assert not Signature.objects.exists() and petition.counts()["total"] == 0


def test_a_receipt_is_checked_by_post_kept_by_no_cache(org_a, make_petition, signer):
    petition = make_petition()
    code = services.do_sign(petition=petition, user=signer())
    url = f"{petition.get_absolute_url()}receipt/"
    page = _client(org_a).get(petition.get_absolute_url()).content.decode()
    assert re.search(rf'<form method="post" action="{url}"', page)
    # A code in the address is not read: it would be in the history and the logs.
    response = _client(org_a).get(url, {"code": code})
    assert response.status_code == 302 and code not in response["Location"]
    assert Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True).post(url, {"code": code}).status_code == 403
    response = _client(org_a).post(url, {"code": code})
    assert "est comptée" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "no-referrer"


def test_every_status_shows_its_own_label_to_who_sees_it(org_a, admin_a, petitions_component, author):
    petition = _submitted(petitions_component, author)
    moderator = UserFactory(organization=org_a)
    SpaceRole.objects.create(space=petitions_component.space, user=moderator, role=SpaceRole.Role.MODERATOR)
    labels = {
        Status.DRAFT: "brouillon",
        Status.SUBMITTED: "en attente d'examen",
        Status.PUBLISHED: "ouverte",
        Status.DECLINED: "refusée",
    }
    assert set(labels) == set(Status)
    for status, label in labels.items():
        deadline = datetime.date.today() + datetime.timedelta(days=5)
        Petition.objects.filter(pk=petition.pk).update(status=status, deadline=deadline)
        for who in (author, moderator):
            page = _client(org_a, who).get(petition.get_absolute_url()).content.decode()
            badge = re.search(r'<span class="state-tag petition-state[^"]*">([^<]*)</span>', page).group(1)
            assert html.unescape(badge) == label, (status, badge)
