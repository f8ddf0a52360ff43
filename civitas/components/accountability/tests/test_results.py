"""Results, nested; the roll-up on the pages; timeline; creation from budget winners and proposals."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.components.accountability import services
from civitas.components.accountability.models import Result
from civitas.components.accountability.progress import progress_of_component
from civitas.components.budgets import services as budget_services
from civitas.components.budgets.models import Budget, Project
from civitas.components.proposals.models import Proposal
from civitas.spaces.models import Tag
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/accountability/{suffix}"


@pytest.fixture
def tree(accountability_component, statuses):
    """A park (weight 3, delivered) and a playground (weight 1, studied) under one programme."""
    c = accountability_component
    programme = Result.objects.create(component=c, title="Programme vert", progress=5)
    park = Result.objects.create(
        component=c, parent=programme, title="Parc", status=statuses["Livré"], weight=3
    )
    playground = Result.objects.create(
        component=c, parent=programme, title="Aire de jeux", status=statuses["Étudié"]
    )
    return programme, park, playground


def test_parent_progress_is_the_average_or_the_weighted_average_of_its_children(tree, admin_a):
    programme, park, playground = tree
    component = programme.component
    progress = progress_of_component(component)
    assert progress.percent(park.pk) == 100 and progress.percent(playground.pk) == 10
    assert progress.percent(programme.pk) == 55  # its own 5 % is ignored: it has sub-results
    configure_component(component, admin_a, settings={"progress_rollup": "weighted"})
    assert progress_of_component(component).percent(programme.pk) == round((3 * 100 + 10) / 4)


def test_public_page_shows_bars_per_space_and_per_theme(client_a, tree, org_a):
    programme, park, playground = tree
    nature = Tag.objects.create(organization=org_a, name="Nature")
    programme.themes.add(nature)
    other = Result.objects.create(component=programme.component, title="Éclairage", progress=20)
    page = client_a.get(programme.component.get_absolute_url())
    assert page.status_code == 200
    assert page.context["overall"] == round((55 + 20) / 2)
    assert [(row.theme.name, row.percent) for row in page.context["themes"]] == [("Nature", 55)]
    assert 'max="100" value="55"' in page.text
    assert other.title in page.text
    detail = client_a.get(programme.get_absolute_url())
    assert detail.status_code == 200 and "Parc" in detail.text and "Aire de jeux" in detail.text


def test_timeline_entry_moves_the_status_and_is_shown(client_a, admin_a, tree, statuses):
    _programme, _park, playground = tree
    client_a.force_login(admin_a)
    url = _admin_url(playground.component, f"results/{playground.pk}/timeline/")
    response = client_a.post(
        url, {"date": "2027-03-01", "title": "Travaux démarrés", "status": statuses["Travaux en cours"].pk}
    )
    assert response.status_code == 302
    playground.refresh_from_db()
    assert playground.status == statuses["Travaux en cours"]
    assert progress_of_component(playground.component).percent(playground.pk) == 50
    page = client_a.get(playground.get_absolute_url())
    assert "Travaux démarrés" in page.text and 'datetime="2027-03-01"' in page.text
    assert ActionLogEntry.objects.filter(action="result.timeline").exists()


def test_a_result_cannot_become_its_own_descendant(client_a, admin_a, tree):
    programme, park, _playground = tree
    client_a.force_login(admin_a)
    response = client_a.post(
        _admin_url(programme.component, f"results/{programme.pk}/"),
        {"title": "Programme vert", "parent": park.pk, "weight": 1, "position": 0},
    )
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    programme.refresh_from_db()
    assert programme.parent_id is None


def test_admin_creates_a_result_and_it_is_logged(client_a, admin_a, accountability_component, statuses):
    client_a.force_login(admin_a)
    response = client_a.post(
        _admin_url(accountability_component, "results/new/"),
        {"title": "Pistes cyclables", "status": statuses["Étudié"].pk, "weight": 1, "position": 0,
         "start_date": "2027-01-01", "end_date": "2026-01-01"},
    )  # fmt: skip
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    assert not Result.objects.exists()
    response = client_a.post(
        _admin_url(accountability_component, "results/new/"),
        {"title": "Pistes cyclables", "status": statuses["Étudié"].pk, "weight": 1, "position": 0},
    )
    assert response.status_code == 302
    assert ActionLogEntry.objects.filter(action="result.create").count() == 1


def test_results_from_budget_winners_and_accepted_proposals(admin_a, accountability_component, org_a):
    space = accountability_component.space
    budgets = published_component(space, admin_a, "budgets", "Budget", voting_enabled=True)
    budget = Budget.objects.create(component=budgets, title="Ville", total=1000)
    fountain = Project.objects.create(budget=budget, title="Fontaine", amount=800)
    Project.objects.create(budget=budget, title="Kiosque", amount=900)
    voter = UserFactory(organization=org_a)
    budget_services.do_add_project(budget=budget, user=voter, project=fountain)
    budget_services.do_checkout(budget=budget, user=voter)
    budget_services.do_close_vote(component=budgets, user=admin_a)
    created = services.do_create_from_budget_winners(
        component=accountability_component, user=admin_a, budgets_component=budgets
    )
    assert [result.title for result in created] == ["Fontaine"]
    assert list(created[0].projects.all()) == [fountain]
    assert (
        services.do_create_from_budget_winners(
            component=accountability_component, user=admin_a, budgets_component=budgets
        )
        == []
    )

    ideas = published_component(space, admin_a, "proposals", "Idées")
    accepted = Proposal.objects.create(
        component=ideas, author=voter, title="Composteurs", body="<p>x</p>", state=Proposal.State.ACCEPTED,
        published_at=timezone.now(), estimated_cost=Decimal("10"),
    )  # fmt: skip
    created = services.do_create_from_proposals(
        component=accountability_component, user=admin_a, proposals=[accepted]
    )
    assert [result.title for result in created] == ["Composteurs"]
    assert (
        services.do_create_from_proposals(
            component=accountability_component, user=admin_a, proposals=[accepted]
        )
        == []
    )


def test_another_organization_sees_nothing(client_b, tree, org_b):
    programme, _park, _playground = tree
    assert client_b.get(programme.component.get_absolute_url()).status_code == 404
    client_b.force_login(UserFactory(organization=org_b, is_organization_admin=True))
    assert client_b.get(_admin_url(programme.component)).status_code == 404
    assert datetime.date.today()  # the fixture's results are untouched
    assert Result.objects.count() == 3


def test_progress_by_space_lists_only_what_the_visitor_may_see(client_a, admin_a, tree, org_a, org_b):
    from civitas.testing.participation import published_space

    programme, _park, _playground = tree
    other_space = published_space(org_a, admin_a, "Quartier nord")
    other = published_component(other_space, admin_a, "accountability", "Suivi nord")
    Result.objects.create(component=other, title="Trottoirs", progress=30)
    private_space = published_space(org_a, admin_a, "Conseil fermé", visibility="private")
    hidden = published_component(private_space, admin_a, "accountability", "Suivi fermé")
    Result.objects.create(component=hidden, title="Secret", progress=90)
    page = client_a.get(programme.component.get_absolute_url())
    rows = {row.component.space.title: row.percent for row in page.context["spaces"]}
    assert rows == {"Convention citoyenne": 55, "Quartier nord": 30}
    assert "Conseil fermé" not in page.text


def test_admin_pages_render_with_their_forms(client_a, admin_a, tree):
    programme, park, _playground = tree
    client_a.force_login(admin_a)
    index = client_a.get(_admin_url(programme.component))
    assert index.status_code == 200 and "Parc" in index.text
    page = client_a.get(_admin_url(programme.component, f"results/{programme.pk}/"))
    assert page.status_code == 200
    # A result cannot be offered as its own parent, nor any of its sub-results.
    offered = set(page.context["form"].fields["parent"].queryset.values_list("pk", flat=True))
    assert programme.pk not in offered and park.pk not in offered
    assert (
        client_a.get(_admin_url(programme.component, "results/new/") + f"?parent={programme.pk}").status_code
        == 200
    )
    delete = _admin_url(programme.component, f"results/{park.pk}/delete/")
    client_a.post(delete)  # without the box ticked: nothing is deleted
    assert Result.objects.filter(pk=park.pk).exists()
    response = client_a.post(delete, {"confirm_delete": "1"})
    assert response.status_code == 302 and not Result.objects.filter(pk=park.pk).exists()
    assert ActionLogEntry.objects.filter(action="result.delete").exists()


def test_status_edit_and_delete_keep_the_progress_of_its_results(client_a, admin_a, tree, statuses):
    programme, park, playground = tree
    client_a.force_login(admin_a)
    studied = statuses["Étudié"]
    url = _admin_url(programme.component, f"statuses/{studied.pk}/")
    assert client_a.get(url).status_code == 200
    client_a.post(url, {"name": "Étudié", "default_progress": 20, "position": 0})
    assert progress_of_component(programme.component).percent(playground.pk) == 20
    client_a.post(url + "delete/", {"confirm_delete": "1"})
    playground.refresh_from_db()
    assert playground.status is None and playground.progress == 20
    assert ActionLogEntry.objects.filter(action="result_status.delete").exists()
