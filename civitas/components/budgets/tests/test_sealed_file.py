"""A budget vote's published file proves what it claims (issue 22, items 1, 3 and 6)."""

import json

import pytest

from civitas import recount
from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox.models import CountedReceipt
from civitas.ballotbox.opendata import sealed_file_rows
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, BudgetBallot
from civitas.sealing import canonical_json, receipt_hash
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _recount(tmp_path, text: str, *options: str, capsys) -> tuple[int, str]:
    path = tmp_path / "sealed.jsonl"
    path.write_text(text, encoding="utf-8")
    status = recount.main([str(path), *options])
    return status, capsys.readouterr().out


@pytest.fixture
def closed(budget, projects, org_a, admin_a):
    codes = []
    for choice in (["Piste cyclable"], ["Piste cyclable"], ["Jardin partagé", "Bancs"]):
        user = UserFactory(organization=org_a)
        for title in choice:
            services.do_add_project(budget=budget, user=user, project=projects[title])
        codes.append(services.do_checkout(budget=budget, user=user).code)
    services.do_close_vote(component=budget.component, user=admin_a)
    configure_component(budget.component, admin_a, voting_enabled=False, results_shown=True)
    budget.refresh_from_db()
    return budget, codes


def _download(client, budget) -> str:
    return b"".join(client.get(f"{budget.get_absolute_url()}sealed.jsonl").streaming_content).decode()


def test_swapping_two_projects_titles_fails_the_recount(tmp_path, capsys, client_a, closed):
    budget, _codes = closed
    text = _download(client_a, budget)
    assert _recount(tmp_path, text, "--seal", budget.seal, capsys=capsys)[0] == 0
    lines = text.splitlines(keepends=True)
    header = json.loads(lines[0])
    first, second = header["definition"]["projects"][:2]
    first["title"], second["title"] = second["title"], first["title"]
    status, out = _recount(tmp_path, canonical_json(header) + "\n" + "".join(lines[1:]), capsys=capsys)
    assert status == 1 and "MISMATCH seal" in out


def test_a_receipt_proves_inclusion_without_naming_the_ballot(tmp_path, capsys, client_a, closed):
    budget, codes = closed
    text = _download(client_a, budget)
    status, out = _recount(
        tmp_path, text, "--seal", budget.grouped_seal, "--receipt", codes[2], capsys=capsys
    )
    assert status == 0 and "receipt: counted" in out
    # Not even the database leads from a receipt to its ballot: receipts are kept apart.
    assert not BudgetBallot.objects.filter(budget=budget, receipt_hash__isnull=False).exists()
    counted = CountedReceipt.objects.filter(target=budget.ballot_ref)
    assert counted.filter(receipt_hash=receipt_hash(codes[2])).exists()
    ballots = [str(pk) for pk in BudgetBallot.objects.filter(budget=budget).values_list("pk", flat=True)]
    assert not any(pk in out for pk in ballots)
    client_a.cookies["django_language"] = "en"
    checked = client_a.post(f"{budget.get_absolute_url()}check/", {"code": codes[2]}).content.decode()
    assert "it is counted" in checked and not any(pk in checked for pk in ballots)
    page = client_a.get(budget.get_absolute_url()).content.decode()
    assert budget.grouped_seal in page and 'id="receipt-mode"' in page


def test_the_closing_is_logged_with_the_seal_and_listed_in_open_data(closed, org_a):
    budget, _codes = closed
    assert ActionLogEntry.objects.get(action="budget.close").after["seal"] == budget.seal
    (row,) = list(sealed_file_rows(org_a))
    assert row["kind"] == "budget" and row["seal"] == budget.grouped_seal
    assert row["file_url"] == f"{budget.get_absolute_url()}sealed.jsonl"


def test_the_receipt_mode_is_chosen_before_voting_and_locked_afterwards(
    client_a, admin_a, budget, projects, budgets_in_preparation, org_a
):
    component = budgets_in_preparation
    url = f"/admin/spaces/{component.space_id}/components/{component.pk}/budgets/{budget.pk}/"
    client_a.force_login(admin_a)
    form = {"title": budget.title, "description": "", "total": budget.total, "position": 0}
    assert client_a.post(url, {**form, "receipt_mode": "reveal"}).status_code == 302
    assert Budget.objects.get(pk=budget.pk).receipt_mode == "reveal"
    configure_component(component, admin_a, voting_enabled=True)
    user = UserFactory(organization=org_a)
    services.do_add_project(budget=budget, user=user, project=projects["Bancs"])
    client_a.post(url, {**form, "receipt_mode": "inclusion"})
    assert Budget.objects.get(pk=budget.pk).receipt_mode == "reveal"
