"""A majority-judgment vote's published file proves what it claims (issue 22, items 1, 3, 6 and 8)."""

import json

import pytest

from civitas import recount
from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox.models import CountedReceipt
from civitas.ballotbox.opendata import sealed_file_rows
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.models import Ballot, Election
from civitas.sealing import canonical_json, receipt_hash
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _vote(election, candidates, org, grades_by_voter) -> list[str]:
    codes = []
    for piste, jardin, bancs in grades_by_voter:
        data = {
            f"candidate-{candidates['Piste cyclable'].pk}": str(piste),
            f"candidate-{candidates['Jardin partagé'].pk}": str(jardin),
            f"candidate-{candidates['Bancs'].pk}": str(bancs),
        }
        receipt = services.do_vote(election=election, user=UserFactory(organization=org), data=data)
        codes.append(receipt.code)
    return codes


def _recount(tmp_path, text: str, *options: str, capsys) -> tuple[int, str]:
    path = tmp_path / "sealed.jsonl"
    path.write_text(text, encoding="utf-8")
    status = recount.main([str(path), *options])
    return status, capsys.readouterr().out


@pytest.fixture
def closed(election, candidates, admin_a, org_a):
    codes = _vote(election, candidates, org_a, [(6, 1, 0), (5, 2, 0), (6, 0, 1)])
    services.do_close(election=election, user=admin_a)
    election.refresh_from_db()
    return election, codes


def _download(client, election) -> str:
    return b"".join(
        client.get(f"{election.component.get_absolute_url()}sealed.jsonl").streaming_content
    ).decode()


def test_swapping_two_candidates_titles_fails_the_recount(tmp_path, capsys, client_a, closed):
    election, _codes = closed
    text = _download(client_a, election)
    assert _recount(tmp_path, text, "--seal", election.seal, capsys=capsys)[0] == 0
    lines = text.splitlines(keepends=True)
    header = json.loads(lines[0])
    winner, second = header["definition"]["candidates"][:2]  # the loser now bears the winner's name
    winner["title"], second["title"] = second["title"], winner["title"]
    status, out = _recount(tmp_path, canonical_json(header) + "\n" + "".join(lines[1:]), capsys=capsys)
    assert status == 1 and "MISMATCH seal" in out


def test_a_vote_proves_inclusion_only_by_default(tmp_path, capsys, client_a, closed, voter):
    election, codes = closed
    assert election.receipt_mode == "inclusion" == election.sealed_header["receipt_mode"]
    text = _download(client_a, election)
    status, out = _recount(
        tmp_path, text, "--seal", election.grouped_seal, "--receipt", codes[1], capsys=capsys
    )
    assert status == 0 and "receipt: counted" in out
    # Not even the database leads from a receipt to its ballot: receipts are kept apart.
    assert not Ballot.objects.filter(election=election, receipt_hash__isnull=False).exists()
    assert CountedReceipt.objects.filter(
        target=election.ballot_ref, receipt_hash=receipt_hash(codes[1])
    ).exists()
    ballots = [str(pk) for pk in Ballot.objects.filter(election=election).values_list("pk", flat=True)]
    assert not any(pk in out for pk in ballots)
    for line in text.splitlines()[1:4]:
        assert json.loads(line)["receipt"] is None
    checked = client_a.post(f"{election.component.get_absolute_url()}check/", {"code": codes[1]})
    assert checked.context["match"] is True
    assert not any(pk in checked.content.decode() for pk in ballots)
    page = client_a.get(election.component.get_absolute_url()).content.decode()
    assert election.grouped_seal in page and 'id="receipt-mode"' in page


def test_the_closing_is_logged_with_the_seal_and_listed_in_open_data(closed, org_a):
    election, _codes = closed
    assert ActionLogEntry.objects.get(action="majority_judgment.close").after["seal"] == election.seal
    (row,) = list(sealed_file_rows(org_a))
    assert row["kind"] == "majority_judgment" and row["seal"] == election.grouped_seal
    assert row["receipt_mode"] == "inclusion" and row["closed_on"] == election.closed_on()


def test_the_receipt_mode_is_locked_once_a_ballot_is_cast(client_a, admin_a, election, candidates, voter):
    url = f"/admin/spaces/{election.component.space_id}/components/{election.component_id}/majority_judgment/"
    client_a.force_login(admin_a)
    services.do_vote(election=election, user=voter, data={})
    form = {
        "question": "",
        "description": "",
        "grades": "\n".join(election.grades),
        "receipt_mode": "reveal",
    }
    client_a.post(url, form)
    assert Election.objects.get(pk=election.pk).receipt_mode == "inclusion"
    assert 'name="receipt_mode"' in client_a.get(url).content.decode()


def test_the_receipt_mode_can_be_chosen_while_the_vote_is_prepared(client_a, admin_a, mj_in_preparation):
    url = f"/admin/spaces/{mj_in_preparation.space_id}/components/{mj_in_preparation.pk}/majority_judgment/"
    client_a.force_login(admin_a)
    election = Election.objects.get(component=mj_in_preparation)
    form = {"question": "", "description": "", "grades": "\n".join(election.grades), "receipt_mode": "reveal"}
    assert client_a.post(url, form).status_code == 302
    assert Election.objects.get(pk=election.pk).receipt_mode == "reveal"
