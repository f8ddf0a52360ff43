"""A resident answers a survey in Chromium, keyboard and mouse, then checks the receipt."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from civitas.ballotbox.models import Envelope
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.conftest import Questionnaire, make_survey_component
from civitas.sealing.receipts import receipt_hash
from civitas.testing.ballots import trustee_links_in_outbox
from civitas.testing.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_accessible,
    assert_receipt_code_readable,
    screenshot,
)
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_surveys_afterwards():
    """The flush between transactional tests must not meet frozen answers: delete the surveys."""
    yield
    Survey.objects.all().delete()


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.mark.usefixtures("_delete_surveys_afterwards")
def test_trustees_hold_the_key_a_resident_answers_and_the_count_needs_every_key(
    live_server, browser, page, tmp_path
):
    resident_page = page
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    component = make_survey_component(commune, mayor)
    survey = Survey.objects.get(component=component)
    q = Questionnaire(survey)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    admin = f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/surveys/"

    # The mayor names a bailiff and an opposition councillor as trustees, with their addresses:
    # each is e-mailed their own link, which the mayor never sees.
    _log_in(page, base, "maire@a.test")
    page.goto(admin)
    # A line without an address is named, and nothing is sent.
    page.get_by_label("Dépositaires, un par ligne").fill(
        "Maître Durand <durand@huissiers.example>\nClaire Martin"
    )
    page.get_by_role("button", name="Envoyer à chaque dépositaire son lien par e-mail").click()
    page.get_by_text("Ligne 2 (« Claire Martin ») : aucune adresse e-mail").wait_for()
    assert "Maître Durand <durand@huissiers.example>" in page.locator("#trustee-names-help").inner_text()
    assert mail.outbox == []
    screenshot(page, "survey-trustee-names-refused")
    page.get_by_label("Dépositaires, un par ligne").fill(
        "Maître Durand, huissière <durand@huissiers.example>\nClaire Martin (opposition), claire@example.org"
    )
    page.get_by_role("button", name="Envoyer à chaque dépositaire son lien par e-mail").click()
    page.locator("#trustee-invitation-2").wait_for()
    assert "Lien envoyé à claire@example.org" in page.locator("main").inner_text()
    assert "/ballots/trustee/" not in page.content()
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        screenshot(page, f"survey-trustee-invitations-{'mobile' if width < 500 else 'desktop'}")
    links = trustee_links_in_outbox(["durand@huissiers.example", "claire@example.org"])
    # What the bailiff receives, as a mail reader shows it.
    [bailiff_mail] = [message for message in mail.outbox if message.to == ["durand@huissiers.example"]]
    reader = page.context.new_page()
    reader.set_viewport_size({"width": 390, "height": 900})
    reader.set_content(bailiff_mail.alternatives[0][0])
    screenshot(reader, "survey-trustee-invitation-email")
    reader.close()
    page.get_by_role("link", name="Retour au vote").click()
    expect(page.locator(".key-panel")).to_contain_text("en attente de sa clé")
    page.context.clear_cookies()

    # Each trustee, with no account, makes their own key in their browser: the bailiff on a
    # phone, the councillor on a desktop. Only the public line reaches the platform.
    # WebCrypto needs a secure context: HTTPS in production; here, this origin declared secure.
    trustees_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, f"--unsafely-treat-insecure-origin-as-secure={base}"]
    )
    trustee_page = trustees_browser.new_context(locale="fr-FR", accept_downloads=True).new_page()
    keys, key_file = [], None
    for index, (link, width) in enumerate(zip(links, (390, 1280), strict=True), start=1):
        page = trustee_page
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(base + "/" + link.split("/", 3)[3])
        with page.expect_download() as download:
            page.get_by_role("button", name="Créer ma clé").click()
        saved = tmp_path / f"cle-{index}.txt"
        download.value.save_as(saved)
        text = saved.read_text(encoding="utf-8")
        expect(page.locator("#made-key-text")).to_have_text(text)
        public_line = page.locator("#public-key").input_value()
        assert public_line in text and text.split("key: ")[1].strip() not in public_line
        assert_accessible(page)
        screenshot(page, f"survey-trustee-key-{'mobile' if width < 500 else 'desktop'}")
        page.get_by_label("J’ai enregistré mon fichier de clé", exact=False).check()
        page.get_by_role("button", name="Enregistrer ma clé publique").click()
        page.wait_for_url(lambda url: "/ballots/trustee/" not in url)
        keys.append(text)
        key_file = saved
        # The private key was never sent: the database holds the public line only.
        private_line = text.split("key: ")[1].strip()
        stored = str(Survey.objects.filter(pk=survey.pk).values().get())
        assert private_line not in stored and private_line.replace("-", "") not in stored
        assert page.goto(base + "/" + link.split("/", 3)[3]).status == 404
    page.goto(base + component.get_absolute_url())
    for text in keys:
        assert text.split("public: ")[1][:19] in page.locator(".secrecy-note").inner_text()
    trustees_browser.close()
    page = resident_page
    page.context.clear_cookies()

    # A resident answers on a phone: the receipt comes in the answer, with the ballot's fingerprint.
    page.set_viewport_size({"width": 375, "height": 740})
    _log_in(page, base, "lea@a.test")
    page.goto(base + component.get_absolute_url())
    assert "Maître Durand, huissière" in page.locator(".secrecy-note").inner_text()
    why_not = page.locator(f"#question-{q.why_not.key}")
    expect(why_not).to_be_hidden()  # its condition ("Non") is not met yet
    assert_accessible(page)
    screenshot(page, "survey-answer-mobile")
    page.locator(f"#{q.single.key}-{q.o(q.single, 'Non')}").check()
    expect(why_not).to_be_visible()
    page.locator(f"#{q.why_not.key}").fill("Trop près des écoles")
    page.locator(f"#{q.multiple.key}-{q.o(q.multiple, 'Emploi')}").check()
    # Keyboard: focus the "Other" box, tick it with Space, Tab to its text field.
    page.locator(f"#{q.multiple.key}-{q.o(q.multiple, 'Autre')}").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Le marché")
    page.locator(f"#{q.matrix.key}_{q.r(q.matrix, 'Accès')}-{q.o(q.matrix, 'Bon')}").check()
    page.locator(f"#{q.ranking.key}_{q.o(q.ranking, 'C')}").fill("1")
    page.locator(f"#{q.scale.key}-5").check()
    page.locator(f"#{q.short.key}").fill("Les Tilleuls")
    page.locator("form.survey-form button[type=submit]").click()
    page.locator("#receipt-code").wait_for()
    assert_accessible(page)
    screenshot(page, "survey-receipt-mobile")
    code = assert_receipt_code_readable(page)
    # Nothing readable was stored: only an envelope the platform alone cannot open.
    assert not Answer.objects.exists()
    envelope = Envelope.objects.get()
    assert b"Trop pr" not in bytes(envelope.ciphertext)
    page.goto(base + component.get_absolute_url() + "check/")
    page.locator("#receipt").fill(code.lower())
    page.keyboard.press("Enter")
    page.locator("#receipt-result").wait_for()
    assert "chiffrées" in page.locator("#receipt-result").inner_text()
    page.context.clear_cookies()

    # Closing on a desktop: one key typed, the other as its file; a wrong key first.
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, base, "maire@a.test")
    page.goto(admin)
    page.locator("#trustee-key-1").fill(keys[1])
    page.locator("#trustee-file-2").set_input_files(str(key_file))
    page.get_by_label("Je comprends que la clôture est définitive", exact=False).check()
    page.get_by_role("button", name="Clore et sceller la consultation").click()
    page.locator(".alert-error, [role=alert]").first.wait_for()
    assert "dépositaire 2" in page.content()
    assert not Survey.objects.get(pk=survey.pk).is_frozen
    page.locator("#trustee-key-1").fill(keys[0])
    page.locator("#trustee-file-2").set_input_files(str(key_file))
    page.get_by_label("Je comprends que la clôture est définitive", exact=False).check()
    screenshot(page, "survey-close-with-keys-desktop")
    page.get_by_role("button", name="Clore et sceller la consultation").click()
    expect(page.get_by_role("button", name="Clore et sceller la consultation")).to_have_count(0)
    survey.refresh_from_db()
    assert survey.is_frozen and survey.tally["answers"] == 1
    answer = Answer.objects.get()
    assert answer.receipt_hash == receipt_hash(code)
    assert answer.payload[q.multiple.key]["other"] == "Le marché"
    assert_accessible(page)
    services.do_set_results_published(survey=survey, user=mayor, published=True)
    page.goto(base + component.get_absolute_url() + "results/")
    assert page.locator("#total-answers").inner_text() == "1"
    assert page.locator("svg[role=img]").count() >= 3
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
    screenshot(page, "survey-results-mobile")
    page.goto(base + component.get_absolute_url() + "check/")
    page.locator("#receipt").fill(code)
    page.keyboard.press("Enter")
    page.locator("#receipt-result").wait_for()
    assert answer.id.hex[:8] in page.locator("#receipt-result").inner_text().replace("-", "")


@pytest.mark.usefixtures("_delete_surveys_afterwards")
def test_admin_and_data_entry_pages_are_accessible_and_keyboard_keying_works(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    component = make_survey_component(commune, mayor)
    survey = Survey.objects.get(component=component)
    q = Questionnaire(survey)
    run = services.do_print_run(survey=survey, user=mayor, copies=2)
    batch = services.do_create_batch(survey=survey, user=mayor, label="Urne de la mairie", channel="paper")
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    admin = f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/surveys/"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for url in (admin, f"{admin}questions/new/", f"{admin}batches/", f"{admin}print/{run.pk}/"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"{admin}batches/{batch.pk}/")
    assert_accessible(page)
    # Keying with the keyboard only: the serial field has the focus on arrival.
    page.keyboard.type(services.serials_of(run)[0])
    page.keyboard.press("Tab")  # to the first question's first option
    page.keyboard.press("Space")
    page.locator(f"#{q.short.key}").focus()
    page.keyboard.type("Nord")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keying = batch.keyings.get()
    assert keying.payload[q.single.key] == {"choice": q.o(q.single, "Oui")}
    assert keying.payload[q.short.key] == "Nord"
    assert_accessible(page)
