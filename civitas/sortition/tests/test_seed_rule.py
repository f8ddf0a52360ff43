"""The seed's source is fixed in the published file; ``verify`` catches edited files and bad seeds.

Each test plays what an outside reviewer tried: edit the file and verify it without
``--hash``, give an empty seed, reveal a secret that does not match its commitment.
"""

import hashlib
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from civitas.sortition.draw import (
    COMMIT_REVEAL,
    PUBLIC_DRAW,
    LotteryFileError,
    SeedError,
    TamperedFileError,
    build_items_document,
    canonical_bytes,
    commitment,
    content_digest,
    document_hash,
    draw,
    draw_items,
    parse_file,
    publish_document,
    seed_for,
    seed_from_reveals,
    seed_rule,
)
from civitas.sortition.publish import lottery_document
from civitas.sortition.solver import leximin

from .helpers import ANNOUNCED, published, two_feature_instance, volunteers

ROOT = Path(__file__).resolve().parents[3]
SECRETS = ["sel-de-guérande-7731", "la-minorité-veille-2026", "dés-de-la-salle-des-fêtes"]
NAMES = ["Maître Dupont, commissaire de justice", "Groupe d’opposition", "Une habitante tirée au sort"]


def verify(path, *arguments):
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "civitas.sortition", "verify", str(path), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def draft():
    pool = volunteers(("woman", "young", 2), ("woman", "old", 3), ("man", "young", 4), ("man", "old", 9))
    instance = two_feature_instance(
        pool, 4, {"woman": (2, 2), "man": (2, 2)}, {"young": (1, 3), "old": (1, 3)}, alternates=2
    )
    return lottery_document(instance, leximin(instance), "Panel de quartier")


def commit_reveal_rule():
    return seed_rule(
        kind=COMMIT_REVEAL,
        description="Secrets révélés en séance publique",
        draw_at=ANNOUNCED,
        contributors=[(name, commitment(secret)) for name, secret in zip(NAMES, SECRETS, strict=True)],
    )


def write(tmp_path, document, name="lottery.json"):
    path = tmp_path / name
    path.write_bytes(canonical_bytes(document))
    return path


def test_the_file_states_the_seed_source_and_the_hash_covers_it(draft):
    document = published(draft)
    assert document["seed"] == {
        "kind": PUBLIC_DRAW,
        "description": "les numéros du tirage EuroMillions du vendredi 11 décembre 2026",
        "draw_at": "2026-12-11T21:30:00+01:00",
    }
    other = published(draft, seed_rule(kind=PUBLIC_DRAW, description="Loto du 12", draw_at=ANNOUNCED))
    assert document_hash(other) != document_hash(document)
    # Same seed, another stated source: another hash, so another stream and (here) another panel.
    assert {tuple(draw(document, str(n)).panel) for n in range(5)} != {
        tuple(draw(other, str(n)).panel) for n in range(5)
    }


def test_an_edited_file_is_refused_without_the_published_hash(draft, tmp_path):
    """The reviewer's attack: change the file, verify without --hash: it must not pass."""
    document = published(draft)
    edited = json.loads(canonical_bytes(document))
    first, second = edited["groups"][0]["codes"][0], edited["groups"][-1]["codes"][0]
    edited["groups"][0]["codes"][0], edited["groups"][-1]["codes"][0] = second, first
    with pytest.raises(TamperedFileError):
        parse_file(canonical_bytes(edited))
    result = verify(write(tmp_path, edited), "3 6 1 4")
    assert result.returncode == 1
    assert "changed after publication" in result.stderr
    assert "Traceback" not in result.stderr and "panel (" not in result.stdout


def test_an_edited_and_resealed_file_is_never_reported_as_verified(draft, tmp_path):
    document = published(draft)
    edited = json.loads(canonical_bytes(document))
    edited["seed"]["description"] = "les numéros que je choisirai"
    edited["content_sha256"] = content_digest(edited)
    path = write(tmp_path, edited)
    unanchored = verify(path, "3 6 1 4")
    assert unanchored.returncode == 3
    assert "not compared with the published hash" in unanchored.stderr
    assert document_hash(edited) in unanchored.stderr  # what to compare with the page
    against_published = verify(path, "3 6 1 4", "--hash", document_hash(document))
    assert against_published.returncode == 1 and "not the published" in against_published.stderr


def test_the_published_file_verifies_only_with_its_hash(draft, tmp_path):
    document = published(draft)
    path = write(tmp_path, document)
    expected = draw(document, "3 6 1 4")
    result = verify(path, "3 6 1 4", "--hash", document_hash(document))
    assert result.returncode == 0, result.stderr
    assert "seed source: les numéros du tirage EuroMillions" in result.stdout
    assert "2026-12-11T21:30:00+01:00" in result.stdout
    for code in expected.panel:
        assert f"  {code}\n" in result.stdout
    # Unquoted numbers are the same seed.
    assert verify(path, "3", "6", "1", "4", "--hash", document_hash(document)).stdout == result.stdout


@pytest.mark.parametrize("seed", ["", "   "])
def test_an_empty_seed_is_a_clear_error(draft, tmp_path, seed):
    path = write(tmp_path, published(draft))
    result = verify(path, seed, "--hash", document_hash(published(draft)))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: the seed is empty: give the seed announced at the draw"


def test_a_missing_file_is_a_clear_error(tmp_path):
    result = verify(tmp_path / "absent.json", "1 2 3")
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_commit_reveal_checks_every_secret_against_its_commitment(draft, tmp_path):
    document = published(draft, commit_reveal_rule())
    seed = seed_from_reveals(document["seed"], SECRETS)
    assert seed == hashlib.sha256(canonical_bytes(SECRETS)).hexdigest()
    assert seed_for(document, [f"  {s} " for s in SECRETS]) == seed
    path = write(tmp_path, document)
    digest = document_hash(document)

    result = verify(path, *SECRETS, "--hash", digest)
    assert result.returncode == 0, result.stderr
    assert f"seed:    {seed}" in result.stdout
    for code in draw(document, seed).panel:
        assert f"  {code}\n" in result.stdout
    assert "Groupe d’opposition: la-minorité-veille-2026" in result.stdout

    wrong = verify(path, SECRETS[0], "une-autre-idée-2026", SECRETS[2], "--hash", digest)
    assert wrong.returncode == 1
    assert "Groupe d’opposition does not match their commitment" in wrong.stderr
    assert "panel (" not in wrong.stdout
    missing = verify(path, *SECRETS[:2], "--hash", digest)
    assert missing.returncode == 2 and "give 3 secrets" in missing.stderr
    with pytest.raises(SeedError) as error:
        seed_from_reveals(document["seed"], [SECRETS[0], "", SECRETS[2]])
    assert (error.value.kind, error.value.index) == ("empty", 1)


def test_the_commit_command_gives_the_commitment(tmp_path):
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "civitas.sortition", "commit", SECRETS[0]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert commitment(SECRETS[0]) in result.stdout and not result.stderr
    short = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "civitas.sortition", "commit", "3 6 1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert commitment("3 6 1") in short.stdout and "may be guessed" in short.stderr
    fresh = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "civitas.sortition", "commit"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    secret = fresh.split()[1]
    assert len(secret) == 35 and commitment(secret) in fresh


@pytest.mark.parametrize(
    ("kind", "description", "draw_at", "contributors", "message"),
    [
        (PUBLIC_DRAW, "  ", ANNOUNCED, [], "must be described"),
        (PUBLIC_DRAW, "Loto", datetime(2026, 12, 11, 21, 30), [], "UTC offset"),
        ("dice", "Dés", ANNOUNCED, [], "neither"),
        (COMMIT_REVEAL, "", ANNOUNCED, [("Seul", "a" * 64)], "2 named contributors"),
        (COMMIT_REVEAL, "", ANNOUNCED, [("A", "a" * 64), ("B", "a" * 64)], "share"),
        (COMMIT_REVEAL, "", ANNOUNCED, [("A", "a" * 64), ("A", "b" * 64)], "share"),
        (COMMIT_REVEAL, "", ANNOUNCED, [("A", "a" * 64), ("B", "xyz")], "SHA-256"),
    ],
)
def test_bad_seed_rules_are_refused(kind, description, draw_at, contributors, message):
    with pytest.raises(LotteryFileError, match=message):
        seed_rule(kind=kind, description=description, draw_at=draw_at, contributors=contributors)


def test_a_file_without_a_seed_rule_is_not_a_published_file(draft):
    with pytest.raises(LotteryFileError, match="does not state where its seed comes from"):
        parse_file(canonical_bytes(draft))


def test_proposal_lists_carry_the_rule_too(tmp_path):
    items = [{"id": str(n), "title": f"Idée {n}"} for n in range(1, 9)]
    draft_list = build_items_document(title="Budget", items=items, count=2)
    document = publish_document(draft_list, commit_reveal_rule())
    assert document["format"] == "civitas-sortition-items/2"
    path = write(tmp_path, document, "list.json")
    result = verify(path, *SECRETS, "--hash", document_hash(document))
    assert result.returncode == 0, result.stderr
    chosen = draw_items(document, seed_from_reveals(document["seed"], SECRETS)).chosen
    assert f"  1. {chosen[0]}  Idée {chosen[0]}\n" in result.stdout


def test_files_published_before_seed_rules_still_verify_against_their_hash(draft, tmp_path):
    legacy = {**draft, "format": "civitas-sortition-lottery/1"}
    assert parse_file(canonical_bytes(legacy)) == legacy
    path = write(tmp_path, legacy)
    result = verify(path, "9 9 9", "--hash", document_hash(legacy))
    assert result.returncode == 0 and "predates seed rules" in result.stdout
    assert draw(legacy, "9 9 9").panel[0] in result.stdout
    assert verify(path, "9 9 9").returncode == 3
