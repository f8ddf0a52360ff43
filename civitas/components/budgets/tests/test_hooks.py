"""Budgets and results in the search, the open-data archive, the statistics and the comments."""

import csv
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from civitas.comments.services import do_add_comment
from civitas.components.accountability.models import Result
from civitas.components.budgets import services
from civitas.components.budgets.manifest import manifest
from civitas.components.budgets.models import Budget, Project
from civitas.core.gdpr import build_export
from civitas.opendata import export
from civitas.search.queries import search
from civitas.stats.services import action_totals, contributions_by_month, participant_count
from civitas.testing.components import configure_component
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _archive(organization) -> dict[str, list[dict]]:
    name, _counts, _size = export.build_archive(organization)
    archive = zipfile.ZipFile(io.BytesIO(default_storage.open(name).read()))
    return {
        dataset: list(csv.DictReader(io.StringIO(archive.read(f"{dataset}.csv").decode())))
        for dataset in ("budget_projects", "accountability_results")
    }


def test_projects_and_results_are_found_by_the_search(org_a, admin_a, voter, budget, projects, indexed):
    with indexed():
        Project.objects.create(
            budget=budget, title="Verger municipal", amount=50, description="<p>Pommiers</p>"
        )
        follow_up = published_component(budget.component.space, admin_a, "accountability", "Suivi")
        Result.objects.create(
            component=follow_up, title="Verger planté", description="<p>Pommiers en terre</p>"
        )
    titles = {hit.document.title for hit in search(user=voter, organization=org_a, query="pommiers").hits}
    assert titles == {"Verger municipal", "Verger planté"}


def test_open_data_shows_votes_only_once_the_results_are_published(org_a, admin_a, voter, budget, projects):
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    rows = _archive(org_a)["budget_projects"]
    assert {row["title"] for row in rows} == set(projects)
    assert {row["votes"] for row in rows} == {""}
    services.do_close_vote(component=budget.component, user=admin_a)
    configure_component(budget.component, admin_a, voting_enabled=False, results_shown=True)
    rows = {row["title"]: row for row in _archive(org_a)["budget_projects"]}
    assert rows["Bancs"]["votes"] == "1" and rows["Bancs"]["selected"] == "yes"
    assert rows["Piste cyclable"]["votes"] == "0" and rows["Piste cyclable"]["selected"] == "no"
    assert "votante" not in str(rows)


def test_open_data_results_carry_the_rolled_up_progress(org_a, admin_a, budget):
    follow_up = published_component(budget.component.space, admin_a, "accountability", "Suivi")
    parent = Result.objects.create(component=follow_up, title="Programme", reference="P")
    Result.objects.create(component=follow_up, parent=parent, title="A", progress=100)
    Result.objects.create(component=follow_up, parent=parent, title="B", progress=0)
    rows = {row["title"]: row for row in _archive(org_a)["accountability_results"]}
    assert rows["Programme"]["progress"] == "50" and rows["A"]["parent_id"] == str(parent.pk)


def test_a_confirmed_vote_counts_as_participation(org_a, admin_a, voter, budget, projects):
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])

    def votes():
        return next(total.count for total in action_totals(org_a) if total.key == "budget_vote")

    assert votes() == 0 and participant_count(org_a) == 0
    services.do_checkout(budget=budget, user=voter)
    assert votes() == 1 and participant_count(org_a) == 1
    # Nothing says when the account voted: monthly figures count the vote once closed.
    assert not any(counts for _month, counts in contributions_by_month(org_a))
    services.do_close_vote(component=budget.component, user=admin_a)
    assert contributions_by_month(org_a)[-1][1] == {"budget_vote": 1}
    assert manifest.statistics(budget.component)["budget_votes"] == 1


def test_the_personal_data_export_says_where_one_voted_never_what(org_a, voter, budget, projects):
    other = Budget.objects.create(component=budget.component, title="Quartier nord", total=500)
    Project.objects.create(budget=other, title="Square", amount=400)
    services.do_add_project(budget=budget, user=voter, project=projects["Piste cyclable"])
    services.do_checkout(budget=budget, user=voter)
    services.do_add_project(budget=other, user=voter, project=other.projects.get())
    archive = zipfile.ZipFile(io.BytesIO(build_export(voter)))
    votes = json.loads(archive.read("budget_votes.json"))
    assert votes == [
        {"space": budget.component.space.title, "component": budget.component.name, "budget": "Centre-ville",
         "voted": True}
    ]  # fmt: skip
    drafts = json.loads(archive.read("budget_draft_selections.json"))
    assert [(draft["budget"], draft["projects"]) for draft in drafts] == [("Quartier nord", "Square")]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Piste cyclable" not in everything


def test_comments_on_a_project(client_a, voter, budget, projects):
    comment = do_add_comment(user=voter, resource=projects["Bancs"], body="<p>Des bancs à l'ombre</p>")
    projects["Bancs"].refresh_from_db()
    assert projects["Bancs"].comment_count == 1
    assert "Des bancs" in client_a.get(projects["Bancs"].get_absolute_url()).text
    assert comment.component == budget.component
    other = Budget.objects.create(component=budget.component, title="Nord", total=10)
    assert other.projects.count() == 0
