"""The rules, amounts and projects of a budget vote are locked while it runs."""

import pytest

from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, Project
from civitas.components.services import SettingsLocked
from civitas.testing.components import configure_component

pytestmark = pytest.mark.django_db


def _configure_url(component):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/"


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/budgets/{suffix}"


def _configure_data(response, **changes):
    """The configuration form as a browser sends it (disabled fields left out), with changes."""
    data = {}
    context = response.context
    forms = [
        context["name_form"],
        context["settings_form"],
        *(form for _phase, form in context["phase_forms"]),
    ]
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form.initial.get(name, field.initial)
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = str(value)
    data.update(changes)
    return data


def test_the_vote_rules_are_shown_read_only_while_voting_is_open(client_a, admin_a, budget):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    page = client_a.get(_configure_url(budget.component))
    assert page.context["settings_form"].fields["vote_rule"].disabled
    assert "Voting is open: the rules, amounts and projects cannot change" in page.content.decode()
    # Saving the page as the browser sends it still works (e.g. to rename the component).
    saved = client_a.post(
        _configure_url(budget.component), _configure_data(page, **{"component-name": "BP 2027"})
    )
    assert saved.status_code == 302
    budget.component.refresh_from_db()
    assert budget.component.name == "BP 2027"


def test_a_forged_change_of_the_rules_is_refused_and_changes_nothing(client_a, admin_a, budget):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    page = client_a.get(_configure_url(budget.component))
    forged = _configure_data(page, **{"settings-winner_rule": "equal_shares", "component-name": "Changed"})
    refused = client_a.post(_configure_url(budget.component), forged)
    assert refused.status_code == 400 and "Voting is open" in refused.content.decode()
    budget.component.refresh_from_db()
    assert budget.component.current_settings()["winner_rule"] == "greedy"
    assert budget.component.name != "Changed"


def test_the_rules_stay_locked_once_someone_started_an_order(budget, projects, voter, admin_a):
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    configure_component(budget.component, admin_a, voting_enabled=False)
    with pytest.raises(SettingsLocked, match="started voting"):
        configure_component(budget.component, admin_a, settings={"vote_rule": "minimum_percent"})
    budget.component.refresh_from_db()
    assert budget.component.current_settings()["vote_rule"] == "within_budget"


def test_the_rules_change_freely_while_the_vote_is_prepared(budgets_in_preparation, admin_a):
    configure_component(budgets_in_preparation, admin_a, settings={"vote_rule": "minimum_percent"})
    assert budgets_in_preparation.current_settings()["vote_rule"] == "minimum_percent"


def test_amounts_and_projects_are_locked_while_voting_is_open(client_a, admin_a, budget, projects):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    url = _admin_url(budget.component, f"{budget.pk}/")
    page = client_a.get(url).content.decode()
    assert "readonly" in page and "Add a project" not in page and "Delete this budget" not in page
    refused = client_a.post(url, {"title": "Centre", "total": "5000", "position": "0"})
    assert refused.status_code == 400 and "Voting is open" in refused.content.decode()
    budget.refresh_from_db()
    assert budget.total == 1000 and budget.title == "Centre-ville"
    # A title is no rule: it can still be corrected.
    assert client_a.post(url, {"title": "Centre", "total": "1000", "position": "0"}).status_code == 302
    bancs = projects["Bancs"]
    project_url = _admin_url(budget.component, f"{budget.pk}/projects/{bancs.pk}/")
    repriced = client_a.post(project_url, {"title": "Bancs", "amount": "50", "position": "0"})
    assert repriced.status_code == 400
    bancs.refresh_from_db()
    assert bancs.amount == 200
    new = client_a.post(_admin_url(budget.component, f"{budget.pk}/projects/new/"),
                        {"title": "Fontaine", "amount": "50", "position": "0"})  # fmt: skip
    assert new.status_code == 400 and not Project.objects.filter(title="Fontaine").exists()
    client_a.post(_admin_url(budget.component, f"{budget.pk}/projects/{bancs.pk}/delete/"))
    assert Project.objects.filter(pk=bancs.pk).exists()
    with pytest.raises(services.BudgetError):
        services.do_import_proposals(budget=budget, user=admin_a, proposals=[])
    with pytest.raises(services.BudgetError):
        services.do_delete_budget(budget=budget, user=admin_a)
    client_a.post(_admin_url(budget.component), {"title": "Nord", "total": "500", "position": "1"})
    assert Budget.objects.filter(component=budget.component).count() == 1


def test_the_admin_pages_are_in_french_by_default(client_a, admin_a, budget):
    client_a.force_login(admin_a)
    page = client_a.get(_admin_url(budget.component, f"{budget.pk}/")).content.decode()
    assert "Le vote est ouvert : les règles, les montants et les projets ne peuvent pas changer" in page
