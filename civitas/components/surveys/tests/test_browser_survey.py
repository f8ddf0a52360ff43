"""A resident answers a survey in Chromium, keyboard and mouse, then checks the receipt."""

import re

import pytest

from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.conftest import Questionnaire, make_survey_component
from civitas.sealing.receipts import receipt_hash
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_surveys_afterwards():
    """The flush between transactional tests must not meet frozen answers: delete the surveys."""
    yield
    Survey.objects.all().delete()


@pytest.mark.usefixtures("_delete_surveys_afterwards")
def test_answer_a_survey_and_check_the_receipt(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    component = make_survey_component(commune, mayor)
    survey = Survey.objects.get(component=component)
    q = Questionnaire(survey)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(base + component.get_absolute_url())
    why_not = page.locator(f"#question-{q.why_not.key}")
    assert why_not.is_hidden()  # its condition ("Non") is not met yet
    assert_accessible(page)
    page.locator(f"#{q.single.key}-{q.o(q.single, 'Non')}").check()
    assert why_not.is_visible()
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
    page.wait_for_url(re.compile(r".*/receipt/$"))
    assert_accessible(page)
    code = page.locator("#receipt-code").inner_text().strip()
    answer = Answer.objects.get()
    assert answer.receipt_hash == receipt_hash(code)
    assert answer.payload[q.multiple.key]["other"] == "Le marché"
    assert answer.payload[q.why_not.key] == "Trop près des écoles"
    screenshot(page, "survey-receipt")

    page.goto(base + component.get_absolute_url() + "check/")
    page.locator("#receipt").fill(code.lower())
    page.keyboard.press("Enter")
    page.locator("#receipt-result .alert-success").wait_for()
    assert_accessible(page)

    services.do_close(survey=survey, user=mayor)
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
