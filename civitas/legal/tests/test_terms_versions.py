"""Organization admins publish numbered versions of the terms; published versions never change."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.legal.models import TermsVersion
from civitas.legal.tests.conftest import publish

pytestmark = pytest.mark.django_db


def test_without_a_version_the_built_in_text_stays(client_a, org_a):
    page = client_a.get("/terms/").content.decode()
    assert "Cette plateforme de participation est gérée par Commune A" in page
    assert "Version" not in page


def test_an_admin_publishes_numbered_versions_shown_with_the_earlier_ones(
    admin_client_a, client_a, org_a, admin_a
):
    form = admin_client_a.get("/admin/legal/terms/new/")
    assert form.status_code == 200 and "Publier" in form.content.decode()
    response = admin_client_a.post(
        "/admin/legal/terms/new/",
        {
            "confirm_act": "1",
            "title": "Charte",
            "body": "Premier texte.<script>alert(1)</script>",
            "summary": "Première charte.",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/admin/legal/terms/"
    # The next form starts from the version in force.
    assert "Premier texte." in admin_client_a.get("/admin/legal/terms/new/").content.decode()
    admin_client_a.post(
        "/admin/legal/terms/new/",
        {
            "confirm_act": "1",
            "title": "",
            "body": "<p>Deuxième texte.</p>",
            "summary": "Les commentaires sont modérés.",
        },
    )
    first, second = TermsVersion.objects.filter(organization=org_a).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.body == "<p>Premier texte.</p>" and first.author == admin_a  # sanitized
    listing = admin_client_a.get("/admin/legal/terms/").content.decode()
    assert "Version 2" in listing and "Version 1" in listing and "Les commentaires sont modérés." in listing
    assert admin_a.name in listing

    public = client_a.get("/terms/").content.decode()
    assert "Deuxième texte." in public and "Premier texte." not in public
    assert "Version 2, en vigueur depuis le" in public
    assert 'href="/terms/versions/1/"' in public and "Versions précédentes" in public
    earlier = client_a.get("/terms/versions/1/").content.decode()
    assert "Premier texte." in earlier and "n’est plus en vigueur" in earlier and "Charte" in earlier
    assert client_a.get("/terms/versions/2/")["Location"] == "/terms/"
    assert client_a.get("/terms/versions/3/").status_code == 404

    entries = ActionLogEntry.objects.filter(organization=org_a, action="terms.publish").order_by("pk")
    assert [entry.after["number"] for entry in entries] == [1, 2]
    assert entries[0].user == admin_a


def test_a_published_version_is_never_changed(admin_client_a, org_a, admin_a):
    version = publish(org_a, admin_a, "v1")
    before = TermsVersion.objects.get(pk=version.pk).body
    # No page edits it: the admin's page of a version only shows it.
    response = admin_client_a.post(
        f"/admin/legal/terms/{version.number}/", {"body": "Changé", "summary": "x"}
    )
    assert response.status_code in (200, 405)
    assert TermsVersion.objects.get(pk=version.pk).body == before
    version.body = "Changé"
    with pytest.raises(ValidationError):
        version.save()
    assert TermsVersion.objects.get(pk=version.pk).body == before


def test_a_version_needs_a_text_and_a_summary(admin_client_a, org_a):
    response = admin_client_a.post(
        "/admin/legal/terms/new/", {"confirm_act": "1", "title": "", "body": "<p> </p>", "summary": " "}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Écrivez le texte des conditions." in page and "Ce champ est obligatoire." in page
    assert not TermsVersion.objects.filter(organization=org_a).exists()


def test_only_organization_admins_publish(participant_client, client_a, org_a):
    assert participant_client.get("/admin/legal/terms/").status_code == 403
    assert (
        participant_client.post(
            "/admin/legal/terms/new/", {"confirm_act": "1", "body": "x", "summary": "y"}
        ).status_code
        == 403
    )
    assert client_a.get("/admin/legal/terms/new/").status_code == 302  # to the log-in page
    assert not TermsVersion.objects.exists()


def test_another_organizations_admin_sees_and_changes_nothing(org_a, org_b, admin_a):
    from civitas.testing.factories import UserFactory

    publish(org_a, admin_a, "de A", summary="Résumé de A")
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b = Client(HTTP_HOST=org_b.host)
    client_b.force_login(admin_b)
    assert client_b.get("/admin/legal/terms/1/").status_code == 404
    assert "Résumé de A" not in client_b.get("/admin/legal/terms/").content.decode()
    assert "de A" not in client_b.get("/terms/").content.decode()
    assert client_b.get("/terms/versions/1/").status_code == 404
    client_b.post(
        "/admin/legal/terms/new/", {"confirm_act": "1", "title": "", "body": "Texte de B", "summary": "B"}
    )
    # B's numbering is its own, and A's version is untouched.
    assert list(TermsVersion.objects.filter(organization=org_b).values_list("number", flat=True)) == [1]
    assert TermsVersion.objects.get(organization=org_a).summary == "Résumé de A"
    # B's admin, on A's host, is no admin there.
    client_b_on_a = Client(HTTP_HOST=org_a.host)
    client_b_on_a.force_login(admin_b)
    assert client_b_on_a.get("/admin/legal/terms/").status_code in (302, 403)
