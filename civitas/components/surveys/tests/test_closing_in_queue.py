"""Closing a platform-key consultation goes through the task queue; the admin's page follows it.

The queue runs in-process in tests (huey's immediate mode), so a closing asked from the
page has ended when the redirect comes back. A closing still running, or one whose process
died, is set up by hand (civitas.testing.closing).
"""

import socket
import subprocess
import sys

import pytest
from django.utils import timezone

from civitas.ballotbox import background
from civitas.ballotbox.models import ClosingJob, KeyMode
from civitas.components.surveys.models import Survey
from civitas.components.surveys.tests.helpers import answer_many
from civitas.testing.closing import closing_running_elsewhere
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _base(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/"


def _job(survey, **fields) -> ClosingJob:
    return ClosingJob.objects.create(
        organization=survey.component.space.organization,
        target_label="surveys.survey",
        target_id=survey.pk,
        ballots=3,
        **fields,
    )


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(finished.stdout)


def test_closing_from_the_page_goes_through_the_queue_and_ends_closed(
    client_a, admin_a, survey_component, survey, questionnaire
):
    answer_many(survey, questionnaire, 3)
    client_a.force_login(admin_a)
    response = client_a.post(f"{_base(survey_component)}close/", {"confirm_closing": "1"}, follow=True)
    survey.refresh_from_db()
    assert survey.is_frozen and survey.tally["answers"] == 3
    job = ClosingJob.objects.get()
    assert job.finished_at and not job.error and job.ballots == 3 and job.requested_by == admin_a
    assert job.started_at and job.runner
    assert "La consultation est close et scellée." in response.content.decode()


def test_while_a_closing_runs_the_page_follows_it_and_a_second_closing_is_refused(
    client_a, admin_a, survey_component, survey, questionnaire
):
    answer_many(survey, questionnaire, 2)
    client_a.force_login(admin_a)
    job = _job(survey, requested_by=admin_a)
    base = _base(survey_component)
    with closing_running_elsewhere(job):
        page = client_a.get(base).content.decode()
        assert '<div id="closing-status" role="status">' in page
        assert f'hx-get="{base}?closing=running-0"' in page and "depuis moins d’une minute" in page
        assert "Clore et sceller la consultation" not in page and "3 bulletins chiffrés" in page
        assert "Retirer cette clôture" not in page  # taken by a consumer: no longer withdrawn
        # The page's poll: nothing to swap while the state is the one shown…
        unchanged = client_a.get(f"{base}?closing=running-0", HTTP_HX_REQUEST="true")
        assert unchanged.status_code == 204 and not unchanged.content
        # …the new state into the live region, and the next poll, when it differs.
        poll = client_a.get(f"{base}?closing=queued-{job.pk}", HTTP_HX_REQUEST="true").content.decode()
        assert '<div id="closing-status" hx-swap-oob="innerHTML">' in poll and "moins d’une minute" in poll
        assert 'hx-get="' in poll and "closing=running-0" in poll
        again = client_a.post(f"{base}close/", {"confirm_closing": "1"}, follow=True)
        assert "Ce vote est déjà en cours de clôture." in again.content.decode()
        assert ClosingJob.objects.count() == 1
    survey.refresh_from_db()
    assert not survey.is_frozen


def test_a_queued_closing_says_it_waits_for_the_task_worker(client_a, admin_a, survey_component, survey):
    client_a.force_login(admin_a)
    _job(survey, requested_by=admin_a)
    page = client_a.get(_base(survey_component)).content.decode()
    assert "La clôture attend que le traitement des tâches la prenne en charge." in page


def test_when_the_closing_has_ended_its_poll_says_so_and_stops(client_a, admin_a, survey_component, survey):
    client_a.force_login(admin_a)
    _job(survey, requested_by=admin_a, started_at=timezone.now(), finished_at=timezone.now())
    poll = client_a.get(f"{_base(survey_component)}?closing=running-3", HTTP_HX_REQUEST="true")
    body = poll.content.decode()
    assert poll.status_code == 200 and "La clôture est terminée : le sceau est calculé." in body
    assert "hx-get" not in body  # no next poll: the page is not reloaded, a form keeps its text
    assert '<div id="closing-controls" hx-swap-oob="innerHTML">' in body and "Actualiser" not in body


def test_a_queued_closing_can_be_withdrawn_but_not_once_taken(client_a, admin_a, survey_component, survey):
    client_a.force_login(admin_a)
    job = _job(survey, requested_by=admin_a)
    page = client_a.get(_base(survey_component)).content.decode()
    assert "Retirer cette clôture" in page
    # Meanwhile, who holds the vote's key can no longer change.
    assert "La clôture de ce vote a été demandée" in page
    response = client_a.post(f"{_base(survey_component)}close/", {"withdraw_closing": "1"}, follow=True)
    assert "La clôture a été retirée avant d’avoir commencé." in response.content.decode()
    job.refresh_from_db()
    assert job.finished_at and job.runner == "withdrawn" and not job.error
    page = client_a.get(_base(survey_component)).content.decode()
    assert "n’a pas abouti" not in page and "Clore et sceller la consultation" in page  # no failure
    taken = _job(survey, requested_by=admin_a)
    with closing_running_elsewhere(taken):
        response = client_a.post(f"{_base(survey_component)}close/", {"withdraw_closing": "1"}, follow=True)
        assert "elle ne peut plus être retirée" in response.content.decode()
        taken.refresh_from_db()
    assert taken.finished_at is None


def test_a_poll_whose_session_ended_sends_the_window_to_the_log_in_page(client_a, survey_component, survey):
    poll = client_a.get(f"{_base(survey_component)}?closing=queued-1", HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Redirect"].startswith("/accounts/login/?next=")


def test_a_closing_whose_process_died_is_told_and_can_be_asked_again(
    client_a, admin_a, survey_component, survey, questionnaire
):
    answer_many(survey, questionnaire, 2)
    client_a.force_login(admin_a)
    dead = _job(
        survey,
        requested_by=admin_a,
        started_at=timezone.now(),
        runner=f"{socket.gethostname()}:{_dead_pid()}",
    )
    assert background.state_of(dead) == background.ClosingState.INTERRUPTED
    page = client_a.get(_base(survey_component)).content.decode()
    assert "Son serveur s’est arrêté pendant la clôture ; rien n’a été clos." in page
    assert "Clore et sceller la consultation" in page
    client_a.post(f"{_base(survey_component)}close/", {"confirm_closing": "1"})
    survey.refresh_from_db()
    assert survey.is_frozen
    assert ClosingJob.objects.filter(finished_at__isnull=True).count() == 0


def test_a_poll_that_learns_of_a_failure_puts_an_alert_in_place_of_the_box(
    client_a, admin_a, survey_component, survey
):
    client_a.force_login(admin_a)
    _job(survey, requested_by=admin_a, started_at=timezone.now(), finished_at=timezone.now(), error="Refusée")
    body = client_a.get(
        f"{_base(survey_component)}?closing=running-0", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="closing-box" class="alert alert-error" role="alert" hx-swap-oob="outerHTML"' in body
    assert "Refusée" in body and "hx-get" not in body


def test_a_refused_closing_says_why_on_the_page_and_closes_nothing(
    client_a, admin_a, survey_component, survey, questionnaire
):
    answer_many(survey, questionnaire, 3)
    # Someone with the database removed an account's "took part": the ballots no longer match.
    survey.participations.first().delete()
    client_a.force_login(admin_a)
    response = client_a.post(f"{_base(survey_component)}close/", {"confirm_closing": "1"}, follow=True)
    survey.refresh_from_db()
    assert not survey.is_frozen
    job = ClosingJob.objects.get()
    assert job.finished_at and job.error
    page = response.content.decode()
    assert job.error in page and "n’a pas abouti" in page and "Clore et sceller la consultation" in page


def test_an_unexpected_failure_is_logged_and_told_without_its_details(
    client_a, admin_a, survey_component, survey, monkeypatch, caplog
):
    def broken(target, user, keys):
        raise RuntimeError("disk full at /var/lib/secret-path")

    monkeypatch.setitem(background.closer_for.__globals__["_closers"], "surveys.survey", broken)
    client_a.force_login(admin_a)
    response = client_a.post(f"{_base(survey_component)}close/", {"confirm_closing": "1"}, follow=True)
    page = response.content.decode()
    assert (
        "La clôture a échoué de manière inattendue ; rien n’a été clos." in page and "secret-path" not in page
    )
    assert "disk full" in caplog.text
    survey.refresh_from_db()
    assert not survey.is_frozen


def test_a_trustee_vote_closes_in_the_request_and_no_job_ever_holds_its_keys(
    client_a, admin_a, survey_component, survey
):
    Survey.objects.filter(pk=survey.pk).update(
        key_mode=KeyMode.TRUSTEES, trustees=[{"name": "A", "public_key": ""}]
    )
    client_a.force_login(admin_a)
    response = client_a.post(
        f"{_base(survey_component)}close/", {"confirm_closing": "1", "trustee-key-1": "SECRET"}, follow=True
    )
    assert not ClosingJob.objects.exists()
    assert response.status_code == 200 and "close et scellée" not in response.content.decode()


def test_another_organization_cannot_follow_or_see_the_closing(client_a, admin_a, survey_component, survey):
    _job(survey, requested_by=admin_a)
    other = OrganizationFactory(name="Commune B", host="commune-b.test")
    intruder = UserFactory(organization=other, is_organization_admin=True)
    client_a.defaults["HTTP_HOST"] = other.host
    client_a.force_login(intruder)
    poll = client_a.get(f"{_base(survey_component)}?closing=1", HTTP_HX_REQUEST="true")
    assert poll.status_code == 404
