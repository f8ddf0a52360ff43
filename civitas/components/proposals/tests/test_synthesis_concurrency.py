"""Supports given while a merge runs: none lands on a merged original, none is counted twice
(run it on PostgreSQL too)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from civitas.components.proposals import services, synthesis
from civitas.components.proposals.models import Proposal, Support
from civitas.testing.factories import UserFactory

SUPPORTERS = 12


@pytest.mark.django_db(transaction=True)
def test_supports_racing_a_merge_end_on_the_result_once_each(proposals_component, admin_a, org_a):
    author = UserFactory(organization=org_a)
    first, second = (
        Proposal.objects.create(
            component=proposals_component,
            author=author,
            title=title,
            body="<p>x</p>",
            published_at=timezone.now(),
        )
        for title in ("Des arbres", "De l'ombre")
    )
    people = [UserFactory(organization=org_a) for _index in range(SUPPORTERS)]
    for person in people[::2]:  # half of them already support the second original
        services.do_support(proposal=second, user=person)
    barrier = threading.Barrier(SUPPORTERS + 1)
    refused, results, errors = [], [], []

    def support(person):
        try:
            barrier.wait()
            proposal = Proposal.objects.get(pk=first.pk)  # read before or after the merge
            proposal.component = proposals_component
            services.do_support(proposal=proposal, user=person)
        except services.ProposalError:
            refused.append(person.pk)
        except Exception as error:  # a deadlock or a lock timeout: what this test is about
            errors.append(repr(error))
        finally:
            connection.close()

    def merge():
        try:
            barrier.wait()
            results.append(
                synthesis.do_merge(
                    component=proposals_component,
                    user=admin_a,
                    proposal_ids=[first.pk, second.pk],
                    part=synthesis.Part("Ensemble", "<p>Les deux.</p>"),
                )
            )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=support, args=(person,)) for person in people]
    threads.append(threading.Thread(target=merge))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    (result,) = results
    assert not Support.objects.filter(proposal__in=[first, second]).exists()
    on_result = list(Support.objects.filter(proposal=result).values_list("user_id", flat=True))
    assert len(on_result) == len(set(on_result))
    # Supporters of the second original, and of the first before the merge, support the
    # result; a support of the first after the merge was refused.
    supported_second = {person.pk for person in people[::2]}
    for person in people:
        assert (person.pk in on_result) == (person.pk in supported_second or person.pk not in refused)
    result.refresh_from_db()
    assert result.support_count == len(on_result)
