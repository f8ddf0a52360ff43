"""An admin who asked for a closing sees its end without reloading the page themselves.

When the closing ends, the page loads again and shows the vote as it now is (no stale
"closing has started", no stale state); but an admin in the middle of typing into one of
the page's forms keeps their text, and gets the link to the new page instead.
"""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from civitas.ballotbox.models import ClosingJob
from civitas.components.surveys.models import Survey
from civitas.components.surveys.tests.conftest import make_survey_component
from civitas.testing.browser import assert_accessible
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.page_walk import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"


def _queued_closing(survey) -> ClosingJob:
    return ClosingJob.objects.create(
        organization=survey.component.space.organization,
        target_label=Survey._meta.label_lower,
        target_id=survey.pk,
        ballots=12,
    )


def _ends_well(job: ClosingJob) -> None:
    ClosingJob.objects.filter(pk=job.pk).update(started_at=timezone.now(), finished_at=timezone.now())


def test_the_admin_page_reloads_at_the_end_of_a_closing_unless_a_form_holds_unsent_text(live_server, browser):
    organization = OrganizationFactory(name="Ville de Démoville", host=HOST)
    admin = UserFactory(organization=organization, is_organization_admin=True)
    component = make_survey_component(organization, admin, title="Avenir du parc")
    survey = Survey.objects.get(component=component)
    client = Client(HTTP_HOST=HOST)
    client.force_login(admin)
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    url = f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/surveys/"

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.set_default_timeout(15_000)
    context.add_cookies([session_cookie(client, HOST)])
    page = context.new_page()

    # Typing in the settings while the closing runs: the end must not wipe the text.
    job = _queued_closing(survey)
    page.goto(url)
    expect(page.locator("#closing-status")).to_contain_text("attend")
    assert_accessible(page)
    page.get_by_label("Introduction").fill("Texte en cours de rédaction")
    page.evaluate("window.notReloaded = true")
    _ends_well(job)
    expect(page.locator("#closing-status")).to_contain_text("La clôture est terminée", timeout=15_000)
    assert page.evaluate("window.notReloaded === true")
    assert page.get_by_label("Introduction").input_value() == "Texte en cours de rédaction"
    expect(page.get_by_role("link", name="Afficher le sceau et les résultats")).to_be_visible()

    # Nothing typed: the page comes back by itself, without its closing box.
    job = _queued_closing(survey)
    page.goto(url)
    expect(page.locator("#closing-status")).to_contain_text("attend")
    page.evaluate("window.notReloaded = true")
    _ends_well(job)
    expect(page.locator("#closing-status")).to_have_count(0, timeout=15_000)  # only a new page drops it
    assert page.evaluate("window.notReloaded === undefined")
    context.close()
