"""The pages: opting in at sign-up and in the settings, and the admin's way from draft to sent."""

import pytest
from django.core import mail

from civitas.newsletters import services
from civitas.newsletters.models import Delivery, Newsletter, NewsletterConsent
from civitas.newsletters.tests.conftest import residents
from civitas.testing.captcha import solved_fields

pytestmark = pytest.mark.django_db


def _sign_up(client, org, **fields):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="newsletter"' in page and 'name="newsletter" checked' not in page  # off by default
    return client.post(
        "/accounts/signup/",
        {
            "name": "Camille",
            "nickname": "camille",
            "email": "camille@example.org",
            "password1": "un mot de passe solide",
            "password2": "un mot de passe solide",
            "accept_terms": "on",
            **solved_fields(page, org),
            **fields,
        },
    )


def test_sign_up_leaves_the_newsletter_off_unless_ticked(client_a, org_a):
    _sign_up(client_a, org_a)
    user = org_a.users.get(nickname="camille")
    assert not NewsletterConsent.objects.filter(user=user, consented_at__isnull=False).exists()


def test_sign_up_with_the_box_ticked_keeps_the_moment_of_consent(client_a, org_a):
    assert _sign_up(client_a, org_a, newsletter="on").status_code == 302
    consent = NewsletterConsent.objects.get(user__nickname="camille")
    assert consent.consented_at is not None and consent.consent_source == "signup"


def test_the_settings_page_turns_the_newsletter_on_and_off(client_a, user_a):
    client_a.force_login(user_a)
    page = client_a.get("/newsletters/settings/").content.decode()
    assert 'aria-current="page">Lettre d’information' in page
    client_a.post("/newsletters/settings/", {"newsletter": "on"})
    first = NewsletterConsent.objects.get(user=user_a).consented_at
    assert first is not None
    assert "Vous l’avez demandée le" in client_a.get("/newsletters/settings/").content.decode()
    client_a.post("/newsletters/settings/", {"newsletter": "on"})  # again: the first moment stays
    assert NewsletterConsent.objects.get(user=user_a).consented_at == first
    client_a.post("/newsletters/settings/", {})
    consent = NewsletterConsent.objects.get(user=user_a)
    assert consent.consented_at is None and consent.withdrawn_at is not None


def test_an_admin_writes_previews_tests_and_sends(client_a, org_a, admin_a, on_commit, settings):
    settings.NEWSLETTER_MAX_PER_MINUTE = 100000
    residents(org_a, 3)
    client_a.force_login(admin_a)
    assert client_a.get("/admin/newsletters/new/").status_code == 200
    refused = client_a.post("/admin/newsletters/new/", {"subject": "", "body": "", "audience": "followers"})
    assert refused.status_code == 200 and not Newsletter.objects.exists()
    assert "Choisissez au moins un espace." in refused.content.decode()

    response = client_a.post(
        "/admin/newsletters/new/",
        {
            "subject": "Le vote ouvre",
            "body": "<p>Votez <script>alert(1)</script>avant lundi.</p>",
            "audience": "all",
        },
    )
    newsletter = Newsletter.objects.get()
    assert response["Location"] == f"/admin/newsletters/{newsletter.pk}/"
    assert "<script>" not in newsletter.body  # the shared sanitizer ran
    detail = client_a.get(response["Location"]).content.decode()
    assert "3 personnes recevront cette lettre" in detail

    preview = client_a.get(f"/admin/newsletters/{newsletter.pk}/preview/").content.decode()
    assert "Version HTML" in preview and "Version texte" in preview
    assert "Votez avant lundi." in preview and "/newsletters/unsubscribe/" in preview

    with on_commit():
        client_a.post(f"/admin/newsletters/{newsletter.pk}/test/")
    assert [m.to for m in mail.outbox] == [[admin_a.email]]

    asked = client_a.post(f"/admin/newsletters/{newsletter.pk}/send/")
    assert asked.status_code == 200 and "Je comprends que c’est irréversible." in asked.content.decode()
    assert Newsletter.objects.get().is_draft
    with on_commit():
        sent = client_a.post(f"/admin/newsletters/{newsletter.pk}/send/", {"confirm_act": "1"})
    assert sent.status_code == 302
    assert Delivery.objects.filter(status="sent").count() == 3 and len(mail.outbox) == 4
    page = client_a.get(f"/admin/newsletters/{newsletter.pk}/").content.decode()
    assert "Envoyée" in page and "3 sur 3 traités" in page
    assert client_a.get(f"/admin/newsletters/{newsletter.pk}/edit/").status_code == 302


def test_progress_refreshes_itself_with_and_without_javascript(client_a, org_a, admin_a, newsletter_a):
    residents(org_a, 2)
    Newsletter.objects.filter(pk=newsletter_a.pk).update(status=Newsletter.Status.QUEUED)
    services.queue_deliveries(newsletter_a.pk)
    client_a.force_login(admin_a)
    page = client_a.get(f"/admin/newsletters/{newsletter_a.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="10"></noscript>' in page
    assert 'hx-trigger="every 5s"' in page and "0 sur 2 traités" in page
    fragment = client_a.get(f"/admin/newsletters/{newsletter_a.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="newsletter-progress"') and "<html" not in fragment


def test_another_organizations_admin_finds_nothing(client_b, org_b, newsletter_a):
    from civitas.testing.factories import UserFactory

    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    for suffix in ("", "edit/", "preview/"):
        assert client_b.get(f"/admin/newsletters/{newsletter_a.pk}/{suffix}").status_code == 404
    assert (
        client_b.post(f"/admin/newsletters/{newsletter_a.pk}/send/", {"confirm_act": "1"}).status_code == 404
    )
    assert "Le budget participatif ouvre" not in client_b.get("/admin/newsletters/").content.decode()
    assert Newsletter.objects.get().is_draft
