import datetime

import pytest
import time_machine
from django.test import Client

from civitas.components.proposals import services
from civitas.components.proposals.models import Proposal
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _base(component):
    return component.get_absolute_url()


def _publish(
    author, component, title="Des bancs dans le parc des Tilleuls", body="Installer dix bancs à l'ombre."
):
    proposal = services.do_create_draft(user=author, component=component, title=title, body=body)
    services.do_publish(proposal=proposal, user=author)
    return proposal


def test_create_compare_then_publish(client_a, participant, proposals_component, admin_a):
    _publish(admin_a, proposals_component, title="Plus de bancs au parc des Tilleuls")
    client_a.force_login(participant)
    response = client_a.post(
        f"{_base(proposals_component)}new/",
        {
            "title": "Des bancs dans le parc des Tilleuls",
            "body": "Installer dix bancs à l'ombre des arbres.\n\nMerci.",
            "address": "Parc des Tilleuls",
        },
    )
    assert response.status_code == 302
    draft = Proposal.objects.get(author=participant)
    assert draft.published_at is None and draft.body.startswith("<p>")
    compare = client_a.get(response["Location"]).content.decode()
    assert "Plus de bancs au parc des Tilleuls" in compare  # a similar proposal is shown first
    assert (
        Client(HTTP_HOST="commune-a.test").get(draft.get_absolute_url()).status_code == 404
    )  # drafts are private
    client_a.post(response["Location"])
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert Client(HTTP_HOST="commune-a.test").get(draft.get_absolute_url()).status_code == 200


def test_bad_input_creates_nothing(client_a, participant, proposals_component):
    client_a.force_login(participant)
    for data in (
        {"title": "", "body": "x"},
        {"title": "Court", "body": "Une proposition assez longue."},
        {"title": "Un titre correct ici", "body": "x" * 5000},
    ):
        assert client_a.post(f"{_base(proposals_component)}new/", data).status_code == 200
    assert not Proposal.objects.exists()


def test_creation_follows_the_phase_setting(client_a, participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, creation_enabled=False)
    client_a.force_login(participant)
    assert client_a.get(f"{_base(proposals_component)}new/").status_code == 403


def test_proposal_limit_per_participant(participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"proposal_limit": 1})
    _publish(participant, proposals_component)
    with pytest.raises(services.ProposalError):
        services.do_create_draft(
            user=participant,
            component=proposals_component,
            title="Encore une idée ici",
            body="Une autre proposition.",
        )


def test_edit_window(client_a, participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"edit_window_minutes": 30})
    start = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        proposal = _publish(participant, proposals_component)
        client_a.force_login(participant)
        edit = f"{proposal.get_absolute_url()}edit/"
        assert client_a.get(edit).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert client_a.get(edit).status_code == 403
    other = UserFactory(organization=proposals_component.space.organization)
    client_a.force_login(other)
    assert client_a.get(edit).status_code == 403


def test_withdraw(client_a, participant, proposals_component):
    proposal = _publish(participant, proposals_component)
    client_a.force_login(UserFactory(organization=proposals_component.space.organization))
    client_a.post(f"{proposal.get_absolute_url()}withdraw/")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.NOT_ANSWERED
    client_a.force_login(participant)
    asked = client_a.post(f"{proposal.get_absolute_url()}withdraw/")
    proposal.refresh_from_db()
    assert asked.status_code == 200 and proposal.state == Proposal.State.NOT_ANSWERED  # asked first
    client_a.post(f"{proposal.get_absolute_url()}withdraw/", {"confirm_delete": "1"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.WITHDRAWN
    assert proposal not in Client(HTTP_HOST="commune-a.test").get(_base(proposals_component)).context["page"]


def test_body_is_sanitized(participant, proposals_component):
    proposal = _publish(
        participant,
        proposals_component,
        body='<p onclick="steal()">Bonjour</p><script>alert(1)</script><a href="javascript:x">lien</a>',
    )
    assert (
        "onclick" not in proposal.body
        and "<script" not in proposal.body
        and "javascript:" not in proposal.body
    )


def test_list_filters_and_orders(client_a, participant, proposals_component, admin_a):
    first = _publish(participant, proposals_component, title="Une piste cyclable rue Victor Hugo")
    second = _publish(admin_a, proposals_component, title="Un composteur au square Molière")
    services.do_support(proposal=second, user=participant)
    base = _base(proposals_component)
    titles = lambda response: [p.title for p in response.context["page"]]  # noqa: E731
    assert titles(client_a.get(base, {"order": "most_supported"}))[0] == second.title
    assert titles(client_a.get(base, {"order": "recent"}))[0] == second.title
    assert titles(client_a.get(base, {"q": "cyclable"})) == [first.title]
    client_a.force_login(participant)
    assert titles(client_a.get(base, {"mine": "1"})) == [first.title]
    # Random, but the same order for the same visitor on every request.
    for _ in range(3):
        _publish(admin_a, proposals_component, title=f"Proposition numéro {_} pour le quartier")
    orders = {tuple(titles(client_a.get(base))) for _ in range(3)}
    assert len(orders) == 1


def test_list_runs_the_same_number_of_queries_at_any_size(
    client_a, participant, proposals_component, admin_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_a.force_login(participant)
    base = _base(proposals_component)

    def count():
        client_a.get(base)
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get(base).status_code == 200
        return len(queries)

    for index in range(3):
        first = _publish(admin_a, proposals_component, title=f"Proposition de départ numéro {index}")
    services.do_support(proposal=first, user=participant)  # the reader's own supports are shown too
    small = count()
    authors = [UserFactory(organization=proposals_component.space.organization) for _ in range(10)]
    for index in range(60):
        proposal = _publish(
            authors[index % 10], proposals_component, title=f"Proposition supplémentaire numéro {index}"
        )
        if index % 3 == 0:
            services.do_support(proposal=proposal, user=participant)
    assert count() == small
