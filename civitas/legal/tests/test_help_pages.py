"""Admins write, reorder and delete help pages; every save is kept; the public reads them."""

import pytest
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.legal.models import HelpPage, HelpPageRevision
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _create(client, title, slug, body="Un texte."):
    return client.post("/admin/legal/help/new/", {"title": title, "slug": slug, "body": body})


def test_help_pages_written_kept_in_history_reordered_and_read(admin_client_a, client_a, org_a, admin_a):
    assert 'href="/help/"' not in client_a.get("/spaces/").content.decode()  # no page, no footer link
    assert client_a.get("/help/").status_code == 200
    assert _create(admin_client_a, "Créer un compte", "compte")["Location"] == "/admin/legal/help/"
    _create(admin_client_a, "Voter", "voter", "<p>Comment <strong>voter</strong><script>x</script></p>")
    first, second = HelpPage.objects.filter(organization=org_a)
    assert (first.slug, second.slug) == ("compte", "voter")
    assert second.body == "<p>Comment <strong>voter</strong></p>"

    footer = client_a.get("/spaces/").content.decode()
    assert '<a href="/help/">Aide</a>' in footer  # the cached facts moved with the new page
    index = client_a.get("/help/").content.decode()
    assert index.index("Créer un compte") < index.index("Voter")
    page = client_a.get("/help/voter/").content.decode()
    assert "Comment <strong>voter</strong>" in page and 'href="/help/compte/"' in page
    assert client_a.get("/help/inconnue/").status_code == 404

    # Edited: a second revision says what changed.
    response = admin_client_a.post(
        f"/admin/legal/help/{second.pk}/", {"title": "Voter en ligne", "slug": "voter", "body": second.body}
    )
    assert response.status_code == 302
    revisions = list(HelpPageRevision.objects.filter(page=second).order_by("saved_at", "pk"))
    assert [r.changed for r in revisions] == [["title", "slug", "body"], ["title"]]
    assert all(r.author == admin_a for r in revisions) and revisions[0].title == "Voter"
    history = admin_client_a.get(f"/admin/legal/help/{second.pk}/history/").content.decode()
    assert "Modifié : titre" in history and "Page créée." in history and "« Voter »" in history

    # Moved up: the public list follows.
    assert admin_client_a.post(f"/admin/legal/help/{second.pk}/move/", {"direction": "up"}).status_code == 302
    index = client_a.get("/help/").content.decode()
    assert index.index("Voter en ligne") < index.index("Créer un compte")
    admin_client_a.post(f"/admin/legal/help/{second.pk}/move/", {"direction": "up"})  # already first: nothing
    assert list(HelpPage.objects.filter(organization=org_a).values_list("slug", flat=True)) == [
        "voter",
        "compte",
    ]

    # The address is one per organization.
    response = _create(admin_client_a, "Doublon", "voter")
    assert (
        response.status_code == 200
        and "Une autre page d’aide a déjà cette adresse." in response.content.decode()
    )

    # Deleted after asking.
    asked = admin_client_a.post(f"/admin/legal/help/{first.pk}/delete/")
    assert asked.status_code == 200 and HelpPage.objects.filter(pk=first.pk).exists()
    admin_client_a.post(f"/admin/legal/help/{first.pk}/delete/", {"confirm_delete": "1"})
    assert not HelpPage.objects.filter(pk=first.pk).exists()
    admin_client_a.post(f"/admin/legal/help/{second.pk}/delete/", {"confirm_delete": "1"})
    assert 'href="/help/"' not in client_a.get("/spaces/").content.decode()  # the footer link goes too

    logged = list(ActionLogEntry.objects.filter(organization=org_a).values_list("action", flat=True))
    for action in ("help_page.create", "help_page.update", "help_page.reorder", "help_page.delete"):
        assert action in logged


def test_only_organization_admins_write_help_pages(participant_client, org_a):
    assert participant_client.get("/admin/legal/help/").status_code == 403
    assert _create(participant_client, "Piège", "piege").status_code == 403
    assert not HelpPage.objects.exists()


def test_another_organizations_admin_cannot_see_or_touch_them(admin_client_a, org_a, org_b):
    _create(admin_client_a, "Page de A", "page-a")
    page = HelpPage.objects.get(organization=org_a)
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b = Client(HTTP_HOST=org_b.host)
    client_b.force_login(admin_b)
    assert "Page de A" not in client_b.get("/admin/legal/help/").content.decode()
    for path in ("", "history/"):
        assert client_b.get(f"/admin/legal/help/{page.pk}/{path}").status_code == 404
    assert (
        client_b.post(f"/admin/legal/help/{page.pk}/", {"title": "B", "slug": "b", "body": "B"}).status_code
        == 404
    )
    assert client_b.post(f"/admin/legal/help/{page.pk}/move/", {"direction": "down"}).status_code == 404
    assert client_b.post(f"/admin/legal/help/{page.pk}/delete/", {"confirm_delete": "1"}).status_code == 404
    assert client_b.get("/help/page-a/").status_code == 404
    assert "Page de A" not in client_b.get("/help/").content.decode()
    assert HelpPage.objects.get(pk=page.pk).title == "Page de A"
    # The same address is free in B.
    _create(client_b, "Page de B", "page-a")
    assert HelpPage.objects.filter(slug="page-a").count() == 2
