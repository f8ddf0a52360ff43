import threading

import pytest
from django.db import connection

from civitas.components.proposals import services
from civitas.components.proposals.models import Proposal, Support
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory


def _proposals(component, count):
    author = UserFactory(organization=component.space.organization)
    proposals = []
    for index in range(count):
        proposal = services.do_create_draft(
            user=author,
            component=component,
            title=f"Proposition numéro {index}",
            body="Une proposition pour le quartier.",
        )
        services.do_publish(proposal=proposal, user=author)
        proposals.append(proposal)
    return proposals


@pytest.mark.django_db
def test_support_once_and_withdraw(client_a, participant, proposals_component):
    (proposal,) = _proposals(proposals_component, 1)
    client_a.force_login(participant)
    url = f"{proposal.get_absolute_url()}support/"
    client_a.post(url)
    client_a.post(url)
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1
    client_a.post(url, {"action": "withdraw"})
    proposal.refresh_from_db()
    assert proposal.support_count == 0 and not Support.objects.exists()


@pytest.mark.django_db
def test_limit_is_never_exceeded(participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"support_limit": 2})
    first, second, third = _proposals(proposals_component, 3)
    services.do_support(proposal=first, user=participant)
    services.do_support(proposal=second, user=participant)
    with pytest.raises(services.ProposalError):
        services.do_support(proposal=third, user=participant)
    services.do_withdraw_support(proposal=first, user=participant)
    services.do_support(proposal=third, user=participant)
    assert Support.objects.filter(user=participant).count() == 2


@pytest.mark.django_db
def test_supports_count_only_once_the_minimum_is_reached(participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"minimum_supports": 3})
    proposals = _proposals(proposals_component, 3)
    counts = lambda: [Proposal.objects.get(pk=p.pk).support_count for p in proposals]  # noqa: E731
    services.do_support(proposal=proposals[0], user=participant)
    services.do_support(proposal=proposals[1], user=participant)
    assert counts() == [0, 0, 0]
    services.do_support(proposal=proposals[2], user=participant)
    assert counts() == [1, 1, 1]
    services.do_withdraw_support(proposal=proposals[2], user=participant)
    assert counts() == [0, 0, 0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mode", "allowed", "count_shown"),
    [
        ("enabled", True, True),
        ("blocked", False, True),
        ("hidden", True, False),
        ("disabled", False, False),
    ],
)
def test_support_modes_per_phase(
    client_a, participant, proposals_component, admin_a, mode, allowed, count_shown
):
    configure_component(proposals_component, admin_a, supports=mode)
    (proposal,) = _proposals(proposals_component, 1)
    client_a.force_login(participant)
    response = client_a.post(f"{proposal.get_absolute_url()}support/")
    assert (response.status_code == 302) is allowed
    assert Support.objects.exists() is allowed
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert ('class="support-count"' in page) is count_shown


@pytest.mark.django_db
def test_anonymous_and_other_organizations_cannot_support(client_b, participant, proposals_component, org_b):
    (proposal,) = _proposals(proposals_component, 1)
    stranger = UserFactory(organization=org_b)
    client_b.force_login(stranger)
    # Commune B's host does not even know the space.
    assert client_b.post(f"{proposal.get_absolute_url()}support/").status_code == 404
    assert not Support.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_supports_with_a_limit_of_three_store_exactly_three(proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"support_limit": 3})
    proposals = _proposals(proposals_component, 50)
    voter = UserFactory(organization=proposals_component.space.organization)
    barrier = threading.Barrier(50)
    outcomes = []

    def support(proposal):
        try:
            barrier.wait()
            services.do_support(proposal=proposal, user=voter)
            outcomes.append("ok")
        except services.ProposalError:
            outcomes.append("refused")
        except Exception as error:  # a database busy error also counts as refused: nothing stored
            outcomes.append(f"error: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=support, args=(proposal,)) for proposal in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Support.objects.filter(user=voter).count() == 3
    assert outcomes.count("ok") == 3
    assert (
        sum(Proposal.objects.filter(pk__in=[p.pk for p in proposals]).values_list("support_count", flat=True))
        == 3
    )
