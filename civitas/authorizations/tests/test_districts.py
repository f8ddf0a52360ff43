"""Budgets restricted by district: a resident votes only in the budget of the district
their verification gives them."""

import datetime
import io

import pytest
from django.utils import timezone

from civitas.authorizations.handlers import do_replace_census, do_verify_with_census
from civitas.authorizations.models import Authorization
from civitas.authorizations.services import do_set_requirements
from civitas.components.budgets import services as budgets
from civitas.components.budgets.models import Budget, BudgetParticipation, Project
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def district_budgets(org_a, admin_a):
    space = published_space(org_a, admin_a, "Budget des quartiers")
    component = published_component(space, admin_a, "budgets", "Budget participatif", voting_enabled=True)
    made = {}
    for district in ("Nord", "Sud"):
        budget = Budget.objects.create(
            component=component, title=f"Quartier {district}", total=1000, district=district
        )
        Project.objects.create(budget=budget, title=f"Jardin {district}", amount=500)
        made[district] = budget
    return made


def _resident(org, handler, district):
    user = UserFactory(organization=org)
    Authorization.objects.create(
        user=user, organization=org, handler=handler, granted_on=timezone.localdate(), district=district
    )
    return user


def test_a_resident_votes_in_their_district_only(org_a, district_budgets):
    north, south = district_budgets["Nord"], district_budgets["Sud"]
    resident = _resident(org_a, "letter", " nord ")  # compared without case or stray spaces
    assert budgets.check_can_vote(north, resident) is None
    assert "Sud" in budgets.check_can_vote(south, resident) and "nord" in budgets.check_can_vote(
        south, resident
    )
    with pytest.raises(budgets.BudgetError):
        budgets.do_choose_projects(
            budget=south, user=resident, project_ids=[south.projects.get().pk], confirm=True
        )
    assert not BudgetParticipation.objects.filter(budget=south).exists()
    budgets.do_choose_projects(
        budget=north, user=resident, project_ids=[north.projects.get().pk], confirm=True
    )
    assert BudgetParticipation.objects.filter(budget=north, user=resident).exists()


def test_without_a_district_the_resident_is_asked_to_verify(org_a, district_budgets, user_a, client_a):
    north = district_budgets["Nord"]
    assert "verify your address" in budgets.check_can_vote(north, user_a)
    client_a.force_login(user_a)
    assert "/authorizations/?next=" in client_a.get(north.get_absolute_url()).content.decode()
    # A budget without a district stays open to all.
    open_budget = Budget.objects.create(component=north.component, title="Ville", total=100)
    assert budgets.check_can_vote(open_budget, user_a) is None


def test_the_district_comes_from_the_verification_the_vote_requires(org_a, admin_a, district_budgets):
    north = district_budgets["Nord"]
    resident = _resident(org_a, "letter", "Sud")
    Authorization.objects.create(
        user=resident, organization=org_a, handler="census", granted_on=timezone.localdate(), district="Nord"
    )
    # Both verifications count while the vote requires none…
    assert budgets.check_can_vote(north, resident) is None
    # …only the required one's district once the vote requires the letter.
    do_set_requirements(
        component=north.component, user=admin_a, requirements=[("vote", None, "letter", None)]
    )
    north = Budget.objects.select_related("component__space__active_phase").get(pk=north.pk)
    assert "Sud" in budgets.check_can_vote(north, resident)


def test_census_rows_carry_a_district(org_a, admin_a, user_a, district_budgets):
    census = "identifiant;naissance;quartier\nAB-123;01/05/1970;Sud\nCD-456;02/06/1980\n"
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(census.encode()))
    do_verify_with_census(user=user_a, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    assert Authorization.objects.get(user=user_a).district == "Sud"
    assert budgets.check_can_vote(district_budgets["Sud"], user_a) is None
    other = UserFactory(organization=org_a)
    do_verify_with_census(user=other, identifier="CD-456", birth_date=datetime.date(1980, 6, 2))
    assert Authorization.objects.get(user=other).district == ""


def test_my_verifications_page_shows_what_the_account_holds(client_a, org_a, user_a):
    Authorization.objects.create(
        user=user_a, organization=org_a, handler="letter", granted_on=timezone.localdate(), district="Nord"
    )
    client_a.force_login(user_a)
    response = client_a.get("/authorizations/?next=/spaces/")
    rows = {row["handler"]: row for row in response.context["rows"]}
    assert rows["letter"]["held"].district == "Nord"
    assert rows["census"]["held"] is None
    assert rows["census"]["url"] == "/authorizations/census/?next=%2Fspaces%2F"
    assert "Nord" in response.content.decode()
