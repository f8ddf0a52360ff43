"""One organization with content on every page, for the browser tests that walk all pages.

``build_showcase`` starts from the security tests' world (one object of every kind, so
that every URL of the URL conf can be filled) and adds what only a finished vote shows:
a closed majority-judgment vote, consultation and budget with their results published,
so that charts, merit profiles and seals are drawn. Long words and long titles are
chosen on purpose: they are what makes a phone page overflow.
"""

from civitas.components.budgets import services as budget_services
from civitas.components.budgets.models import Budget, Project
from civitas.components.majority_judgment import services as mj_services
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.components.surveys import services as survey_services
from civitas.components.surveys.models import Survey
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.testing.security import build_world_b

CANDIDATES = ("Piste cyclable entre la gare et le lycée Jean-Moulin", "Jardin partagé", "Bancs")


def _closed_majority_judgment(space, admin, voters):
    component = published_component(space, admin, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=component)
    candidates = [
        Candidate.objects.create(election=election, title=title, position=index)
        for index, title in enumerate(CANDIDATES)
    ]
    for index, voter in enumerate(voters):
        grades = {
            f"candidate-{candidate.pk}": str((index + position * 2) % 7)
            for position, candidate in enumerate(candidates)
        }
        mj_services.do_vote(election=election, user=voter, data=grades)
    election.component = component
    mj_services.do_close(election=election, user=admin)
    configure_component(component, admin, voting_enabled=False, results_shown=True)
    return component


def _closed_survey(space, admin, voters):
    from civitas.components.surveys.tests.conftest import Questionnaire
    from civitas.components.surveys.tests.helpers import post_data

    component = published_component(space, admin, "surveys", "Questionnaire", answers_enabled=True)
    survey = Survey.objects.get(component=component)
    questionnaire = Questionnaire(survey)
    for index, voter in enumerate(voters):
        data = post_data(questionnaire.answer(yes=index % 3 != 0))
        survey_services.do_answer(survey=survey, user=voter, data=data)
    survey_services.do_close(survey=survey, user=admin)
    survey_services.do_set_results_published(survey=survey, user=admin, published=True)
    return component


def _closed_budget(space, admin, voters):
    component = published_component(space, admin, "budgets", "Budget participatif", voting_enabled=True)
    budget = Budget.objects.create(component=component, title="Quartier des Tilleuls", total=150000)
    projects = [
        Project.objects.create(budget=budget, title=title, amount=amount, description=f"<p>{title}</p>")
        for title, amount in (
            ("Rénovation de l'aire de jeux", 60000),
            ("Végétalisation de la cour de l'école", 45000),
            ("Boîte à livres", 2500),
        )
    ]
    for index, voter in enumerate(voters):
        for project in projects[index % 2 :]:
            budget_services.do_add_project(budget=budget, user=voter, project=project)
        budget_services.do_checkout(budget=budget, user=voter)
    budget_services.do_close_vote(component=component, user=admin)
    configure_component(component, admin, voting_enabled=False, results_shown=True)
    return component


def build_showcase(organization) -> dict:
    """Every kind of object, and every vote kind closed with results; returns the world."""
    world = build_world_b(organization)
    admin = world["admin"]
    voters = [UserFactory(organization=organization) for _ in range(5)]
    space = published_space(organization, admin, "Résultats de la concertation 2026")
    world["results"] = {
        "majority_judgment": _closed_majority_judgment(space, admin, voters),
        "surveys": _closed_survey(space, admin, voters),
        "budgets": _closed_budget(space, admin, voters),
    }
    world["results_space"] = space
    return world


def delete_sealed_records() -> None:
    """The flush between transactional tests must not meet sealed ballots: delete their votes."""
    Election.objects.all().delete()
    Survey.objects.all().delete()
    Budget.objects.all().delete()
