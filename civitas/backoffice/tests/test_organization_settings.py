import pytest

from civitas.captcha.models import CaptchaQuestion

pytestmark = pytest.mark.django_db


def test_participants_cannot_reach_the_back_office(client_a, user_a):
    assert client_a.get("/admin/").status_code == 302
    client_a.force_login(user_a)
    for path in ("/admin/", "/admin/settings/", "/admin/captcha/"):
        assert client_a.get(path).status_code == 403


def test_admin_edits_own_settings(client_a, admin_a, org_a):
    client_a.force_login(admin_a)
    response = client_a.post(
        "/admin/settings/",
        {
            "name": "Commune A",
            "default_locale": "fr",
            "available_locales": ["fr", "en"],
            "primary_colour": "#7a1f5c",
            "secondary_colour": "#f2c14e",
            "contact_email": "contact@a.test",
            "signup_open": "on",
            "external_domain_allowlist": "not a domain",
        },
    )
    assert response.status_code == 200
    org_a.refresh_from_db()
    assert org_a.primary_colour != "#7a1f5c"
    client_a.post(
        "/admin/settings/",
        {
            "name": "Commune A",
            "default_locale": "fr",
            "available_locales": ["fr", "en"],
            "primary_colour": "#7a1f5c",
            "secondary_colour": "#f2c14e",
            "contact_email": "contact@a.test",
            "signup_open": "on",
        },
    )
    org_a.refresh_from_db()
    assert org_a.primary_colour == "#7a1f5c"
    css = client_a.get("/theme.css").content.decode()
    assert "--brand:#7a1f5c;--brand-text:#ffffff" in css


def test_admin_manages_own_captcha_questions_only(client_a, admin_a, org_a, org_b):
    foreign = CaptchaQuestion.objects.create(
        organization=org_b, locale="fr", question="Q de B ?", answers="b"
    )
    client_a.force_login(admin_a)
    assert (
        client_a.post("/admin/captcha/", {"locale": "fr", "question": "Q ?", "answers": " \n "}).status_code
        == 200
    )
    assert not CaptchaQuestion.objects.filter(organization=org_a).exists()
    client_a.post(
        "/admin/captcha/",
        {"locale": "fr", "question": "Quel fleuve ?", "answers": "Loire\nla Loire", "is_active": "on"},
    )
    own = CaptchaQuestion.objects.get(organization=org_a)
    assert own.answer_list == ["Loire", "la Loire"]
    assert "Q de B" not in client_a.get("/admin/captcha/").content.decode()
    assert client_a.get(f"/admin/captcha/{foreign.pk}/").status_code == 404
    assert client_a.post(f"/admin/captcha/{foreign.pk}/delete/").status_code == 404
    assert client_a.post(f"/admin/captcha/{own.pk}/delete/", {"confirm_delete": "1"}).status_code == 302
    assert CaptchaQuestion.objects.filter(pk=foreign.pk).exists()
