from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_by_default(client_a):
    response = client_a.get("/accounts/login/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()
    assert "Se connecter" in response.content.decode() or "Connexion" in response.content.decode()


def test_language_switcher_sets_english(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client_a.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert "Forgot your password?" in page.content.decode()


def test_switcher_refuses_foreign_redirects(client_a):
    response = client_a.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_account_language_is_used_after_log_in(client_a, user_a):
    user_a.locale = "en"
    user_a.save()
    client_a.force_login(user_a)
    assert client_a.get("/accounts/settings/")["Content-Language"] == "en"


def test_only_the_organization_languages_are_offered(client_a, org_a):
    org_a.available_locales = ["fr"]
    org_a.save()
    client_a.cookies["django_language"] = "en"
    page = client_a.get("/")
    assert page["Content-Language"] == "fr"
    assert 'name="language"' not in page.content.decode()


def test_english_only_organization(client_a, org_a):
    org_a.default_locale, org_a.available_locales = "en", ["en"]
    org_a.save()
    assert client_a.get("/")["Content-Language"] == "en"


def test_french_catalogue_is_complete_and_compiled():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled_ids = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    for entry in catalogue.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled_ids, (
            f"not compiled: {entry.msgid!r} (run make messages)"
        )
