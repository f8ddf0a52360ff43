"""An admin names a theme and merges two in Chromium; the public results show them."""

import pytest
from playwright.sync_api import expect

from civitas.components.surveys import services, themes
from civitas.components.surveys.models import Survey, ThemeAnalysis
from civitas.components.surveys.tests.conftest import make_survey_component
from civitas.components.surveys.tests.helpers import closed_survey_with_texts
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_surveys_afterwards():
    """The flush between transactional tests must not meet frozen answers: delete the surveys."""
    yield
    Survey.objects.all().delete()


def _shots(page, name: str) -> None:
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        screenshot(page, f"{name}-{'mobile' if width < 500 else 'desktop'}")


@pytest.mark.usefixtures("_delete_surveys_afterwards")
def test_an_admin_names_and_merges_themes_and_the_results_page_shows_them(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    component = make_survey_component(commune, mayor, title="Grand débat local")
    survey = Survey.objects.get(component=component)
    # More answers than the page lists (100): it says the ones it shows are a random draw.
    question = closed_survey_with_texts(survey, mayor, 120)
    themes.do_start_analysis(survey=survey, user=mayor, seed=2019)
    themes.compute(survey.pk, ThemeAnalysis.objects.get(survey=survey).token)
    services.do_set_results_published(survey=survey, user=mayor, published=True)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/surveys/")
    page.get_by_role("link", name="Thèmes des réponses écrites").click()
    expect(page.get_by_role("heading", name="Thèmes des réponses écrites", level=1)).to_be_visible()

    page.get_by_label("Nom du thème 1", exact=True).fill("Transports et mobilité")
    page.get_by_label("Nom du thème 1", exact=True).press("Enter")
    expect(page.get_by_text("Le nom du thème est enregistré.")).to_be_visible()
    expect(page.get_by_label("Nom du thème 1", exact=True)).to_have_value("Transports et mobilité")

    merge = page.locator(f"form.theme-merge:has(input[value='{question.key}'])")
    merge.get_by_label("Thème", exact=True).select_option("2")
    merge.get_by_label("avec").select_option("3")
    merge.get_by_label("Je comprends que c’est irréversible.").check()
    merge.get_by_role("button", name="Fusionner").click()
    # The task queue runs at once in tests: the page comes back with the merged theme.
    expect(page.get_by_text("Fusion des thèmes 2 + 3.")).to_be_visible()
    expect(page.get_by_role("cell", name="thèmes 2 et 3 fusionnés")).to_be_visible()
    _shots(page, "survey-themes-admin")

    page.context.clear_cookies()
    page.goto(f"{base}{component.get_absolute_url()}results/")
    expect(page.get_by_role("heading", name="Thèmes des réponses écrites")).to_be_visible()
    expect(page.get_by_role("heading", name="Transports et mobilité")).to_be_visible()
    expect(page.get_by_text("Fusion des thèmes 2 + 3.")).to_be_visible()
    expect(page.get_by_text("--seed 2019")).to_be_visible()
    sample = page.get_by_text("100 réponses écrites tirées au hasard (toutes sont dans le fichier publié)")
    expect(sample).to_be_visible()
    sample.click()  # the summary opens the list
    expect(page.locator("details[open] li")).to_have_count(100)
    _shots(page, "survey-themes-results")
