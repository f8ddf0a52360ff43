"""Every kind of sealed vote closes through the queue from its admin page, and that page
follows a closing while it runs (the consultation's case in detail: surveys' test_closing_in_queue)."""

import pytest
from django.utils import timezone

from civitas.ballotbox import keys
from civitas.ballotbox.models import ClosingJob
from civitas.components.budgets import services as budget_services
from civitas.components.budgets.locks import lock_reason
from civitas.components.budgets.models import Budget, Project
from civitas.components.majority_judgment import services as mj_services
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.testing.closing import closing_running_elsewhere
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def _admin_url(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/{component.manifest_name}/"


def _majority_judgment(space, admin, voters):
    component = published_component(space, admin, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=component)
    candidate = Candidate.objects.create(election=election, title="Kiosque", position=0)
    for voter in voters:
        mj_services.do_vote(election=election, user=voter, data={f"candidate-{candidate.pk}": "4"})
    return component, [election]


def _budgets(space, admin, voters):
    component = published_component(space, admin, "budgets", "Budget participatif", voting_enabled=True)
    budgets = []
    for title in ("Nord", "Sud"):
        budget = Budget.objects.create(component=component, title=title, total=1000)
        project = Project.objects.create(budget=budget, title=f"Bancs {title}", amount=400)
        for voter in voters:
            budget_services.do_add_project(budget=budget, user=voter, project=project)
            budget_services.do_checkout(budget=budget, user=voter)
        budgets.append(budget)
    return component, budgets


@pytest.mark.parametrize("build", [_majority_judgment, _budgets], ids=["majority_judgment", "budgets"])
def test_the_vote_closes_through_the_queue_and_its_page_follows_a_running_closing(
    build, client_a, org_a, admin_a
):
    space = published_space(org_a, admin_a)
    voters = [UserFactory(organization=org_a) for _ in range(3)]
    component, targets = build(space, admin_a, voters)
    client_a.force_login(admin_a)
    url = _admin_url(component)

    running = ClosingJob.objects.create(
        organization=org_a,
        target_label=targets[0]._meta.label_lower,
        target_id=targets[0].pk,
        ballots=len(voters) * len(targets),
    )
    with closing_running_elsewhere(running):
        page = client_a.get(url).content.decode()

    assert '<div id="closing-status" role="status">' in page and f'hx-get="{url}?closing=running-0"' in page
    assert f"{len(voters) * len(targets)} bulletins chiffrés" in page
    assert "Clore le vote et sceller les résultats" not in page
    ClosingJob.objects.filter(pk=running.pk).update(finished_at=timezone.now(), error="Refusée à l’essai")

    page = client_a.post(f"{url}close/", {"confirm_closing": "1"}, follow=True).content.decode()
    job = ClosingJob.objects.get(finished_at__isnull=False, error="")
    assert job.requested_by == admin_a and job.ballots == len(voters) * len(targets)  # every budget's
    for target in targets:
        target.refresh_from_db()
        assert target.is_frozen and target.seal
    assert "clos" in page and "Refusée à l’essai" not in page


def test_asking_to_close_a_component_s_budgets_fixes_every_budget_s_key_and_rules(org_a, admin_a):
    space = published_space(org_a, admin_a)
    component = published_component(space, admin_a, "budgets", "Budget participatif")
    first = Budget.objects.create(component=component, title="Écoles", total=1000)
    second = Budget.objects.create(component=component, title="Parcs", total=1000)
    assert keys.mode_lock_reason(second) is None
    ClosingJob.objects.create(organization=org_a, target_label="budgets.budget", target_id=first.pk)
    # The job names the first budget; the second, without a ballot, closes with it all the same.
    assert keys.mode_lock_reason(second).startswith("La clôture de ce vote a été demandée")
    assert lock_reason(component, second).startswith("Sa clôture a été demandée")


def test_asking_to_close_a_majority_judgment_vote_fixes_its_candidates(org_a, admin_a):
    component = published_component(published_space(org_a, admin_a), admin_a, "majority_judgment", "Vote")
    election = Election.objects.get(component=component)
    assert mj_services.rules_lock_reason(election) is None
    ClosingJob.objects.create(
        organization=org_a, target_label="majority_judgment.election", target_id=election.pk
    )
    assert mj_services.rules_lock_reason(election).startswith("Sa clôture a été demandée")
