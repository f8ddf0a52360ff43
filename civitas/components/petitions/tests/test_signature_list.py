"""The sealed signature list: recounted with plain Python, forged files refused."""

import datetime
import json

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client

from civitas import petition_recount
from civitas.components.petitions import services
from civitas.components.petitions.models import SealedList
from civitas.components.petitions.signature_list import do_seal_list
from civitas.components.petitions.tasks import seal_signature_lists
from civitas.sealing.canonical import canonical_json
from civitas.sealing.seal import Sealer, group_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed_file(tmp_path, org_a, make_petition, signer):
    petition = make_petition()
    codes = [services.do_sign(petition=petition, user=signer()) for _index in range(4)]
    sealed = do_seal_list(petition)
    response = Client(HTTP_HOST=org_a.host).get(f"{petition.get_absolute_url()}signatures/{sealed.pk}.jsonl")
    path = tmp_path / "signatures.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    return petition, sealed, codes, path


def _rewrite(path, lines, *, reseal=True):
    """A forger's file: changed lines, the footer's counts and seal recomputed to agree."""
    header = json.loads(lines[0])
    records = [json.loads(line) for line in lines[1:-1]]
    footer = json.loads(lines[-1])
    if reseal:
        sealer = Sealer(header)
        for record in records:
            sealer.add(record)
        footer = {**footer, "count": len(records)}
        footer["tally"] = {**footer["tally"], "signatures": len(records), "online": len(records)}
        body = {key: value for key, value in footer.items() if key != "seal"}
        footer["seal"] = sealer.finish(body)
    path.write_text("".join(canonical_json(item) + "\n" for item in [header, *records, footer]))


def test_the_list_is_recounted_and_a_signer_finds_their_receipt(sealed_file, capsys):
    petition, sealed, codes, path = sealed_file
    assert sealed.count == 4 == petition.counts()["total"]
    status = petition_recount.main([str(path), "--count", "4", "--seal", sealed.seal, "--receipt", codes[2]])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "your signature is in the list" in output and "no pseudonym appears twice" in output
    lines = path.read_text().splitlines()
    assert '"payload":{}' in lines[1] and "sub-" not in path.read_text()
    assert petition_recount.main([str(path), "--count", "5", "--seal", sealed.seal]) == 1


def test_the_petition_page_shows_the_seal_and_the_count_to_compare(org_a, sealed_file):
    petition, sealed, _codes, _path = sealed_file
    page = Client(HTTP_HOST=org_a.host).get(petition.get_absolute_url()).content.decode()
    # In groups of four, as the recount prints it; the command shown takes it so.
    grouped = group_seal(sealed.seal)
    assert f'<code class="seal" translate="no">{grouped}</code>' in page and sealed.seal not in page
    assert f'--count {sealed.count} --seal "{grouped}"' in page


def test_a_pseudonym_listed_twice_is_refused(sealed_file, capsys):
    _petition, sealed, _codes, path = sealed_file
    lines = path.read_text().splitlines()
    _rewrite(path, [lines[0], lines[1], lines[1], *lines[2:]], reseal=False)
    assert petition_recount.main([str(path)]) == 1
    assert "appears twice" in capsys.readouterr().out


def test_an_added_signature_with_a_recomputed_seal_fails_against_the_announced_seal(sealed_file, capsys):
    _petition, sealed, _codes, path = sealed_file
    lines = path.read_text().splitlines()
    extra = json.loads(lines[1])
    extra["id"] = "ffffffff-ffff-4fff-bfff-ffffffffffff"
    _rewrite(path, [*lines[:-1], canonical_json(extra), lines[-1]])
    assert petition_recount.main([str(path)]) == 0  # agrees with itself…
    capsys.readouterr()
    assert petition_recount.main([str(path), "--seal", sealed.seal]) == 1  # …not with the page
    assert "not the announced seal" in capsys.readouterr().out


def test_a_removed_signature_without_resealing_is_refused(sealed_file, capsys):
    _petition, sealed, _codes, path = sealed_file
    lines = path.read_text().splitlines()
    _rewrite(path, [lines[0], *lines[2:]], reseal=False)
    assert petition_recount.main([str(path), "--seal", sealed.seal]) == 1
    assert "MISMATCH" in capsys.readouterr().out


def test_the_nightly_task_seals_open_petitions_and_the_final_list_once(make_petition, signer):
    petition = make_petition(deadline=datetime.date.today() + datetime.timedelta(days=1))
    services.do_sign(petition=petition, user=signer())
    assert seal_signature_lists.call_local() == 1
    after = datetime.datetime.combine(petition.deadline + datetime.timedelta(days=1), datetime.time(3))
    with time_machine.travel(after.replace(tzinfo=datetime.UTC), tick=False):
        assert seal_signature_lists.call_local() == 1
        assert seal_signature_lists.call_local() == 0
    final = SealedList.objects.get(final=True)
    assert final.count == 1 and default_storage.exists(final.path)


def test_older_snapshot_files_are_pruned_their_seals_stay(org_a, make_petition, signer):
    petition = make_petition()
    services.do_sign(petition=petition, user=signer())
    lists = [do_seal_list(petition) for _index in range(5)]
    for sealed in lists:
        sealed.refresh_from_db()
    assert [bool(sealed.path) for sealed in lists] == [False, False, True, True, True]
    assert all(sealed.seal for sealed in lists)
    visitor = Client(HTTP_HOST=org_a.host)
    assert visitor.get(f"{petition.get_absolute_url()}signatures/{lists[0].pk}.jsonl").status_code == 404
    assert visitor.get(f"{petition.get_absolute_url()}signatures/{lists[4].pk}.jsonl").status_code == 200
