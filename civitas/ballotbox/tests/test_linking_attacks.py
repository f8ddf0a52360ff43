"""The attacker's suite: no copy of the server, taken at any moment, links a voter to a ballot.

Known accounts cast known answers (a consultation) and known ballots (a majority-judgment
vote) through the real pages. After every single cast the attacker takes a full copy of
the database (raw files or pages, every row with its physical position, transaction id and
size), of the sessions, caches, task queue and logs (see :mod:`.attacker`), then runs
every linking attack below. An attack "wins" when it guesses the voters' answers better than
a fair coin would with probability 10⁻⁶; it is also shown that its input holds no
information: no answer and no receipt appears anywhere before closing, and every encrypted
row has the same size.

Runs on SQLite and PostgreSQL alike (``make test`` runs the suite on both).
"""

from __future__ import annotations

import io
import json
import logging
import random
import re
import secrets
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from huey.contrib.djhuey import HUEY

from civitas import recount
from civitas.ballotbox import keys
from civitas.ballotbox.models import Envelope
from civitas.ballotbox.services import iter_published
from civitas.ballotbox.tests.attacker import (
    Attacker,
    QueueRecorder,
    appeared,
    assert_at_chance,
    best_guess_accuracy,
    secrets_in,
)
from civitas.components.majority_judgment import services as mj_services
from civitas.components.majority_judgment.models import Ballot, Candidate, GradeCount, Participation
from civitas.components.surveys import services as survey_services
from civitas.components.surveys.models import Answer, Option, Question, Survey, SurveyParticipation
from civitas.sealing import read_published
from civitas.sealing.receipts import receipt_hash
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.security("ballot secrecy"), pytest.mark.django_db(transaction=True)]

VOTERS = 50
CODE = re.compile(rb"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


# --- the two votes -------------------------------------------------------------------


@dataclass
class Voter:
    user: object
    answer: str  # what the attacker tries to guess: "yes"/"no", "high"/"low"
    code: str = ""
    token: str = ""  # a unique free text inside the answer (consultation only)

    @property
    def hash(self) -> str:
        return receipt_hash(self.code)


@dataclass
class Vote:
    """One vote under attack: where its rows live and how a voter casts through the pages."""

    target: object
    participation_table: str
    record_table: str
    record_answer: object  # payload -> "yes"/"no" or "high"/"low"
    cast: object  # (client, voter) -> receipt code read from the page
    close: object  # (admin) -> None
    voters: list[Voter] = field(default_factory=list)

    def refresh(self):
        self.target.refresh_from_db()
        return self.target


def _code_in(page: bytes) -> str:
    shown = re.search(rb'id="receipt-code">(.*?)</strong>', page, re.S)
    assert shown, "no receipt on the page"
    codes = CODE.findall(shown.group(1))
    assert len(codes) == 1, shown.group(1)
    return codes[0].decode()


def consultation(org, admin) -> Vote:
    space = published_space(org, admin, "Prison de Saint-Martin")
    component = published_component(space, admin, "surveys", "Consultation", answers_enabled=True)
    survey, _created = Survey.objects.get_or_create(component=component)
    single = Question.objects.create(
        survey=survey, type="single", label="Favorable ?", mandatory=True, position=0
    )
    yes = Option.objects.create(question=single, label="Oui", position=0)
    no = Option.objects.create(question=single, label="Non", position=1)
    short = Question.objects.create(
        survey=survey, type="short_text", label="Quartier", max_length=40, position=1
    )
    choice = {"yes": yes.key, "no": no.key}

    def cast(client, voter):
        voter.token = f"tok{secrets.token_hex(10)}"
        response = client.post(
            component.get_absolute_url(), {single.key: choice[voter.answer], short.key: voter.token}
        )
        assert response.status_code == 200, response.content[:500]
        return _code_in(response.content)

    def close(user):
        survey_services.do_close(survey=Survey.objects.get(pk=survey.pk), user=user)

    def answer_of(payload):
        return {yes.key: "yes", no.key: "no"}[payload[single.key]["choice"]]

    return Vote(
        target=survey,
        participation_table=SurveyParticipation._meta.db_table,
        record_table=Answer._meta.db_table,
        record_answer=answer_of,
        cast=cast,
        close=close,
    )


def majority_judgment(org, admin) -> Vote:
    space = published_space(org, admin, "Aménagement du square")
    component = published_component(space, admin, "majority_judgment", "Vote", voting_enabled=True)
    election = mj_services.election_of(component)
    first, second = (
        Candidate.objects.create(election=election, title=title, position=index)
        for index, title in enumerate(["Jardin", "Bancs"])
    )
    grade = {"high": 6, "low": 1}

    def cast(client, voter):
        response = client.post(
            f"{component.get_absolute_url()}vote/",
            {f"candidate-{first.pk}": grade[voter.answer], f"candidate-{second.pk}": 3},
        )
        assert response.status_code == 200, response.content[:500]
        return _code_in(response.content)

    def close(user):
        mj_services.do_close(election=mj_services.election_of(component), user=user)

    def answer_of(payload):
        return {6: "high", 1: "low"}[payload["grades"][str(first.pk)]]

    return Vote(
        target=election,
        participation_table=Participation._meta.db_table,
        record_table=Ballot._meta.db_table,
        record_answer=answer_of,
        cast=cast,
        close=close,
    )


VOTES = {
    "consultation": (consultation, ("yes", "no")),
    "majority judgment": (majority_judgment, ("high", "low")),
}


@pytest.fixture
def logs(caplog):
    """Every logger at DEBUG, SQL included: whatever the platform writes to its logs."""
    for name in ["", *list(logging.root.manager.loggerDict)]:
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True
    yield lambda: caplog.text
    connection.force_debug_cursor = False


@pytest.fixture
def attacker(logs):
    with QueueRecorder(HUEY) as queue:
        spy = Attacker(queue=queue, logs=logs)
        yield spy
        spy.close()


# --- what the attacker looks for ----------------------------------------------------------


def _voter_secrets(voters) -> dict[str, Voter]:
    named = {}
    for voter in voters:
        named[voter.code] = voter
        named[voter.hash] = voter
        if voter.token:
            named[voter.token] = voter
    return named


def _rank(rows, key) -> list:
    return sorted(rows, key=key)


def _ctid(row) -> tuple[int, int]:
    block, offset = row.physical["ctid"].strip("()").split(",")
    return int(block), int(offset)


def _physical(row):
    return row.physical["rowid"] if "rowid" in row.physical else _ctid(row)


def _orders() -> dict:
    """The orders an attacker can read rows in: physical, by id, by transaction id."""
    orders = {"physical order (rowid/ctid)": _physical, "id order": lambda row: str(row.values["id"])}
    if connection.vendor == "postgresql":
        orders["transaction id (xmin)"] = lambda row: (row.physical["xmin"], _ctid(row))
    return orders


def _envelope_view(row) -> tuple:
    """What an envelope shows without the key: its sizes and its clear columns."""
    return (
        len(bytes(row.values["ciphertext"])),
        row.physical["size"],
        row.values["target"],
        len(row.values["fingerprint"]),
    )


# --- the suite --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(VOTES))
def test_no_copy_taken_at_any_moment_links_a_voter_to_a_ballot(kind, org_a, admin_a, attacker):
    build, answers = VOTES[kind]
    vote = build(org_a, admin_a)
    ref = vote.target.ballot_ref
    rng = random.Random(secrets.randbits(32))
    known = [answers[index % 2] for index in range(VOTERS)]
    rng.shuffle(known)
    report: dict = {}

    # Casting, one voter after another, a full copy after each cast.
    before = attacker.copy("before the first cast")
    for index, answer in enumerate(known):
        voter = Voter(user=UserFactory(organization=org_a), answer=answer)
        client = Client(HTTP_HOST=org_a.host)
        client.force_login(voter.user)
        voter.code = vote.cast(client, voter)
        vote.voters.append(voter)
        attacker.copy(f"after cast {index + 1}")
    casts = attacker.snapshots[1:]
    truth = {voter.user.pk: voter.answer for voter in vote.voters}
    by_secret = _voter_secrets(vote.voters)

    # 1. No plaintext exists anywhere before closing: no record, no count, no receipt, no answer.
    for snapshot in casts:
        assert snapshot.rows(vote.record_table) == [], snapshot.label
        assert snapshot.rows(GradeCount._meta.db_table) == [], snapshot.label
        leaked = {by_secret[s].user.pk for s in secrets_in(snapshot.haystack()) if s in by_secret}
        assert not leaked, f"{snapshot.label}: a receipt or an answer of {len(leaked)} voters is readable"
    last = casts[-1]
    for where, content in (("logs", last.logs.encode()), ("task queue", last.queue)):
        leaked = {s for s in secrets_in(content) if s in by_secret}
        assert not leaked, f"the {where} hold receipts or answers"
    assert not any("surveys_receipt" in json.dumps(session) for session in last.sessions)
    vote.refresh()
    assert vote.target.tally is None and vote.target.seal == ""

    # 2. Every envelope looks the same: one size, one vote reference, a fingerprint.
    envelopes = [row for row in last.rows(Envelope._meta.db_table) if row.values["target"] == ref]
    assert len(envelopes) == VOTERS
    assert len({_envelope_view(row) for row in envelopes}) == 1, {_envelope_view(row) for row in envelopes}

    # 3. Linking attacks on the copies taken while voting. Each pairs a voter with an
    #    envelope; the pairing may well be right (it shares a transaction with the
    #    participation), but the envelope shows the attacker nothing of the answer.
    participations = last.rows(vote.participation_table)
    voter_of_row = {row.values["id"]: row.values["user_id"] for row in participations}
    links: dict[str, dict] = {}
    # By what each cast added to the database.
    links["rows added by each cast"] = {}
    for previous, snapshot in zip([before, *casts], casts, strict=False):
        new = appeared(previous, snapshot)
        (participation,) = [row for row in new if row.table == vote.participation_table]
        (envelope,) = [row for row in new if row.table == Envelope._meta.db_table]
        counts = tuple(
            sorted((table, sum(1 for row in new if row.table == table)) for table in {r.table for r in new})
        )
        links["rows added by each cast"][participation.values["user_id"]] = (_envelope_view(envelope), counts)
    # By the order the rows are read in.
    for name, order in _orders().items():
        paired = zip(_rank(participations, order), _rank(envelopes, order), strict=True)
        links[name] = {voter_of_row[p.values["id"]]: _envelope_view(e) for p, e in paired}
    if connection.vendor == "postgresql":
        by_xmin = {row.physical["xmin"]: row for row in envelopes}
        links["same transaction id"] = {
            voter_of_row[p.values["id"]]: _envelope_view(by_xmin[p.physical["xmin"]]) for p in participations
        }
    for name, views in links.items():
        assert set(views) == set(truth)
        accuracy = best_guess_accuracy(views, truth)
        assert_at_chance(f"while voting, {name}", round(accuracy * VOTERS), VOTERS, report)

    # 4. Without the key, nothing can be counted: the installation's secret changed
    #    (a stolen database) opens nothing, and closing refuses, changing nothing.
    from django.test import override_settings

    with override_settings(CIVITAS_BALLOT_KEY="x" * 48), pytest.raises(keys.VoteKeyError):
        keys.opening_key(vote.refresh())
    assert vote.refresh().frozen_at is None

    # 5. Closing, then the same attacks on the opened records.
    vote.close(admin_a)
    closed = attacker.copy("after closing")
    target = vote.refresh()
    assert target.frozen_at is not None
    records = closed.rows(vote.record_table)
    assert len(records) == VOTERS
    by_hash = {row.values["receipt_hash"]: row for row in records}
    for voter in vote.voters:  # the test knows each receipt: every answer was counted as cast
        payload = by_hash[voter.hash].values["payload"]
        payload = json.loads(payload) if isinstance(payload, str) else payload
        assert vote.record_answer(payload) == voter.answer
    envelope_rank = {
        voter_of_row[p.values["id"]]: index for index, p in enumerate(_rank(participations, _physical))
    }
    for name, order in _orders().items():
        for what, ranked in (
            ("participations", _rank(participations, order)),
            (
                "envelopes (cast order)",
                sorted(participations, key=lambda p: envelope_rank[voter_of_row[p.values["id"]]]),
            ),
        ):
            paired = zip(ranked, _rank(records, order), strict=True)
            right = sum(
                vote.record_answer(_payload(record)) == truth[voter_of_row[p.values["id"]]]
                for p, record in paired
            )
            assert_at_chance(f"after closing, {what} against records by {name}", right, VOTERS, report)
    if connection.vendor == "postgresql":
        assert len({row.physical["xmin"] for row in records}) == 1  # one transaction wrote them all
    days = {row.values["day"] for row in records}
    assert len(days) == 1  # every voter cast on the same day here: see the test on days below

    # 6. The recount of the published file matches and finds every voter's receipt.
    text = "".join(iter_published(target))
    for voter in vote.voters:
        result = recount.recount(read_published(io.StringIO(text)), receipt=voter.code)
        assert result.ok and result.receipt_found, (result.mismatches, voter.code)
    assert result.seal == target.seal and result.records == VOTERS
    # Receipt codes themselves are kept nowhere, even once counted.
    codes = {voter.code for voter in vote.voters}
    assert not codes & secrets_in(closed.haystack())

    # 7. The platform key is erased: it cannot be derived again from what is stored.
    assert target.key_salt == ""
    with pytest.raises(keys.VoteKeyError):
        keys.opening_key(target)
    print(f"\n{kind} on {connection.vendor}: " + json.dumps(report, indent=1, ensure_ascii=False))


def _payload(row) -> dict:
    payload = row.values["payload"]
    return json.loads(payload) if isinstance(payload, str) else payload
