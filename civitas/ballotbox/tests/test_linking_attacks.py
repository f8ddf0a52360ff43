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

import datetime
import io
import json
import logging
import random
import re
import secrets
import time
from dataclasses import dataclass, field

import pytest
import time_machine
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test import Client
from django.utils import timezone, translation
from huey.contrib.djhuey import HUEY

from civitas import recount
from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox import crypto, keys
from civitas.ballotbox import services as ballotbox_services
from civitas.ballotbox import tasks as ballotbox_tasks
from civitas.ballotbox.models import CountedReceipt, Envelope
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
from civitas.components.majority_judgment.models import Ballot, Candidate, Election, GradeCount, Participation
from civitas.components.surveys import services as survey_services
from civitas.components.surveys.models import Answer, Option, Question, Survey, SurveyParticipation
from civitas.sealing import read_published
from civitas.sealing.receipts import receipt_hash
from civitas.testing.ballots import trustee_key_files
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.security("ballot secrecy"), pytest.mark.django_db(transaction=True)]

VOTERS = 50  # as the issue asks: 50 known accounts per vote
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
    results: list[str]  # the pages that show results or records once closed
    voters: list[Voter] = field(default_factory=list)

    def refresh(self):
        self.target.refresh_from_db()
        return self.target


def _code_in(page: bytes) -> str:
    shown = re.search(rb'id="receipt-code">(.*?)</(?:strong|code)>', page, re.S)
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
        results=[f"{component.get_absolute_url()}results/", f"{component.get_absolute_url()}answers.jsonl"],
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
        results=[f"{component.get_absolute_url()}sealed.jsonl"],
    )


def participatory_budget(org, admin) -> Vote:
    from civitas.components.budgets import services as budget_services
    from civitas.components.budgets.models import Budget, BudgetBallot, BudgetParticipation, Project

    space = published_space(org, admin, "Budget participatif")
    component = published_component(space, admin, "budgets", "Budget", voting_enabled=True)
    budget = Budget.objects.create(component=component, title="Centre-ville", total=1000)
    budget.component = component
    park, bench = (
        Project.objects.create(budget=budget, title=title, amount=amount, position=index)
        for index, (title, amount) in enumerate([("Parc", 600), ("Bancs", 300)])
    )
    chosen = {"one": [park.pk], "two": [park.pk, bench.pk]}  # the sizes of the choices differ

    def cast(client, voter):
        response = client.post(
            f"{budget.get_absolute_url()}vote/",
            {"project": chosen[voter.answer], "intent": "confirm", "confirm_final": "1"},
        )
        assert response.status_code == 200, response.content[:500]
        return _code_in(response.content)

    def close(user):
        budget_services.do_close_vote(component=component, user=user)

    def answer_of(payload):
        return "two" if len(payload["projects"]) == 2 else "one"

    return Vote(
        target=budget,
        participation_table=BudgetParticipation._meta.db_table,
        record_table=BudgetBallot._meta.db_table,
        record_answer=answer_of,
        cast=cast,
        close=close,
        results=[f"{budget.get_absolute_url()}sealed.jsonl"],
    )


VOTES = {
    "consultation": (consultation, ("yes", "no")),
    "majority judgment": (majority_judgment, ("high", "low")),
    "budget": (participatory_budget, ("one", "two")),
}


@pytest.fixture(autouse=True)
def _closed_votes_go_with_the_test(_django_db_helper):
    """Emptying the database after a test deletes closed votes' records, which the freeze
    triggers allow only once the vote is marked discarded (as deleting a component does)."""
    yield
    Survey.objects.filter(frozen_at__isnull=False).update(discarded_at=timezone.now())
    Election.objects.filter(frozen_at__isnull=False).update(discarded_at=timezone.now())
    from civitas.components.budgets.models import Budget

    Budget.objects.filter(frozen_at__isnull=False).update(discarded_at=timezone.now())


@pytest.fixture
def logs(caplog):
    """Every logger at DEBUG, SQL included: whatever the platform writes to its logs, even
    run with CIVITAS_LOG_LEVEL=DEBUG. Loggers the settings pin above DEBUG stay as pinned."""
    pinned = {name for name, config in settings.LOGGING.get("loggers", {}).items() if "level" in config}
    for name in ["", *list(logging.root.manager.loggerDict)]:
        if name not in pinned:
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
        keys.opener(vote.refresh())
    assert vote.refresh().frozen_at is None
    # Nobody sees results before closing, not even the organization's admin.
    admin = Client(HTTP_HOST=org_a.host)
    admin.force_login(admin_a)
    for url in vote.results:
        assert admin.get(url).status_code == 404, url

    # 5. Closing, then the same attacks on the opened records.
    vote.close(admin_a)
    closed = attacker.copy("after closing")
    target = vote.refresh()
    assert target.frozen_at is not None
    records = closed.rows(vote.record_table)
    assert len(records) == VOTERS
    # Every answer was counted as cast (the test knows them all).
    assert sorted(map(repr, (vote.record_answer(_payload(row)) for row in records))) == sorted(
        map(repr, (voter.answer for voter in vote.voters))
    )
    if target.receipt_mode == "inclusion":
        # Receipts prove counting only: none sits on a record, they are listed apart.
        assert all(row.values["receipt_hash"] is None for row in records)
        counted = {row.values["receipt_hash"] for row in closed.rows(CountedReceipt._meta.db_table)}
        assert {voter.hash for voter in vote.voters} <= counted
    else:
        by_hash = {row.values["receipt_hash"]: row for row in records}
        for voter in vote.voters:  # a consultation's receipt leads to its answer, as promised
            assert vote.record_answer(_payload(by_hash[voter.hash])) == voter.answer
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
        assert result.ok and (result.receipt_found or result.receipt_counted), (result.mismatches, voter.code)
    assert result.seal == target.seal and result.records == VOTERS
    # Receipt codes themselves are kept nowhere, even once counted.
    codes = {voter.code for voter in vote.voters}
    assert not codes & secrets_in(closed.haystack())

    # 7. The platform key is erased: it cannot be derived again from what is stored.
    assert target.key_salt == ""
    with pytest.raises(keys.VoteKeyError):
        keys.opener(target)
    print(f"\n{kind} on {connection.vendor}: " + json.dumps(report, indent=1, ensure_ascii=False))


def _payload(row) -> dict:
    payload = row.values["payload"]
    return json.loads(payload) if isinstance(payload, str) else payload


# --- trustee keys, and records that cannot be counted -----------------------------------


def _small_consultation(org, admin, title, *, long_text=False):
    """A consultation answered through the service; returns (survey, cast(answer, text) -> code)."""
    space = published_space(org, admin, title)
    component = published_component(space, admin, "surveys", "Consultation", answers_enabled=True)
    survey, _created = Survey.objects.get_or_create(component=component)
    single = Question.objects.create(
        survey=survey, type="single", label="Favorable ?", mandatory=True, position=0
    )
    options = {
        "yes": Option.objects.create(question=single, label="Oui", position=0),
        "no": Option.objects.create(question=single, label="Non", position=1),
    }
    why = None
    if long_text:  # shown only to those who answer "Non", as consultations often ask
        why = Question.objects.create(
            survey=survey,
            type="long_text",
            label="Pourquoi ?",
            max_length=3000,
            position=1,
            condition_option=options["no"],
        )

    def cast(answer: str, text: str = "") -> str:
        data = QueryDict(mutable=True)
        data[single.key] = options[answer].key
        if why is not None and text:
            data[why.key] = text
        user = UserFactory(organization=org)
        receipt = survey_services.do_answer(survey=Survey.objects.get(pk=survey.pk), user=user, data=data)
        return receipt.code

    return survey, cast


def _unchanged(survey, envelopes: int, log_entries: int) -> None:
    survey.refresh_from_db()
    assert survey.frozen_at is None and survey.tally is None and survey.seal == ""
    assert not Answer.objects.filter(survey=survey).exists()
    assert survey.envelopes().count() == envelopes
    assert ActionLogEntry.objects.count() == log_entries


def _close(survey, admin, trustee_keys=None) -> str:
    """Closing's error message, or "" when it closed."""
    try:
        survey_services.do_close(
            survey=Survey.objects.get(pk=survey.pk), user=admin, trustee_keys=trustee_keys
        )
    except survey_services.SurveyError as error:
        return error.message
    return ""


def _recount(survey, codes) -> None:
    survey.refresh_from_db()
    text = "".join(iter_published(survey))
    for code in codes:
        result = recount.recount(read_published(io.StringIO(text)), receipt=code)
        assert result.ok and (result.receipt_found or result.receipt_counted), (result.mismatches, code)
    assert result.records == len(codes) and result.seal == survey.seal


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_trustee_keys_the_platform_alone_opens_nothing_and_every_bad_key_is_named(
    org_a, admin_a, attacker, settings, english
):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation sous huissier")
    other, _other_cast = _small_consultation(org_a, admin_a, "Une autre consultation")
    names = ["Maître Dupont, huissier", "Mme Leroy, opposition"]
    handed = trustee_key_files(survey, names)
    foreign = trustee_key_files(other, names)
    answers = ["yes", "no", "yes", "yes", "no", "no"]
    codes = [cast(answer) for answer in answers]
    snapshot = attacker.copy("after the casts")
    survey.refresh_from_db()
    assert survey.key_mode == "trustees" and survey.key_salt == ""

    # The platform (its ballot secret, its signing key, the whole database) opens nothing.
    shares = [crypto.parse_trustee_key(text).share for text in handed]
    other_shares = [crypto.parse_trustee_key(text).share for text in foreign]
    stored = snapshot.haystack()
    for share in shares:
        assert crypto.encode_share(share).encode() not in stored
        assert crypto.encode_share(share).replace("-", "").encode() not in stored
        assert share.hex().encode() not in stored and share not in stored
    with pytest.raises(keys.TrusteeKeysRefused) as refused:
        keys.opener(survey)
    assert all(name in refused.value.message for name in names)
    guesses = [
        crypto.platform_private_key(settings.CIVITAS_BALLOT_KEY, survey.ballot_ref, salt)
        for salt in (b"", bytes.fromhex(other.key_salt or "") if other.key_salt else b"\0" * 32)
    ]
    guesses += [crypto.platform_private_key(settings.SECRET_KEY, survey.ballot_ref, b"")]
    boxes = [crypto.opening_box(guess) for guess in guesses]
    boxes += [crypto.opening_box(crypto.PrivateKey(share)) for share in shares]  # one trustee's key as a box
    boxes += [crypto.TrusteesBox(shares[:1]), crypto.TrusteesBox(shares[1:])]  # one trustee alone
    boxes += [crypto.TrusteesBox(shares[::-1]), crypto.TrusteesBox([shares[0], other_shares[1]])]
    for envelope in survey.envelopes():
        for box in boxes:
            with pytest.raises(crypto.EnvelopeError):
                crypto.open_record(box, survey.ballot_ref, envelope.ciphertext)
    assert (
        Client(HTTP_HOST=org_a.host).get(f"{survey.component.get_absolute_url()}results/").status_code == 404
    )

    # Every bad key is refused by name, and closing changes nothing.
    translation.activate("en")  # the page above left its own language active
    count = ActionLogEntry.objects.count()
    key_line = handed[0].splitlines()[-1]
    wrong = f"key: {crypto.encode_share(secrets.token_bytes(32))}"
    cases = {
        "truncated": (
            [key_line[:-9], handed[1]],
            "Trustee 1 (Maître Dupont, huissier): the key is truncated",
        ),
        "truncated file": (["\n".join(handed[0].splitlines()[:-1]), handed[1]], "Trustee 1 (Maître Dupont"),
        "wrong": ([handed[0], wrong], "Trustee 2 (Mme Leroy, opposition): this key is not the one"),
        "foreign": (
            [foreign[0], handed[1]],
            "Trustee 1 (Maître Dupont, huissier): this key belongs to another",
        ),
        "foreign key line": ([foreign[0].splitlines()[-1], handed[1]], "Trustee 1 (Maître Dupont"),
        "swapped": ([handed[1], handed[0]], "this is the key of trustee 2 (Mme Leroy, opposition)"),
        "missing": ([handed[0]], "Trustee 2 (Mme Leroy, opposition): the key is empty"),
        "garbage": ([handed[0], "Ceci n'est pas une clé"], "Trustee 2 (Mme Leroy, opposition)"),
    }
    for case, (supplied, expected) in cases.items():
        message = _close(survey, admin_a, supplied)
        assert expected in message, (case, message)
        _unchanged(survey, len(answers), count)

    # With both keys it closes; the recount of the published file matches.
    assert _close(survey, admin_a, handed) == ""
    _recount(survey, codes)
    survey.refresh_from_db()
    tally = survey.tally["questions"]
    assert sorted(tally[next(iter(tally))]["options"].values()) == [3, 3]


@pytest.mark.django_db  # nothing here needs real commits: faster
def test_a_record_that_cannot_be_counted_is_named_and_closing_waits_until_it_is_removed(
    org_a, admin_a, english
):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation A")
    other, other_cast = _small_consultation(org_a, admin_a, "Consultation B")
    codes = [cast(answer) for answer in ("yes", "no", "yes")]
    other_cast("no")
    survey.refresh_from_db()
    other.refresh_from_db()
    count = ActionLogEntry.objects.count()
    size = len(bytes(survey.envelopes().first().ciphertext))
    copied = other.envelopes().get()

    # The very row of another vote cannot even be stored twice: fingerprints are unique.
    with pytest.raises(IntegrityError), transaction.atomic():
        Envelope.objects.create(
            target=survey.ballot_ref, ciphertext=copied.ciphertext, fingerprint=copied.fingerprint
        )
    record = {"day": "2026-12-06", "channel": "online", "receipt": None, "payload": {}}
    foreign_ref = crypto.seal_record(bytes.fromhex(survey.public_key), other.ballot_ref, record)
    bad = {
        "does not decrypt with this vote's key": secrets.token_bytes(size),  # garbage
        "does not decrypt": bytes(copied.ciphertext),  # another vote's envelope, copied
        "was encrypted for another vote": foreign_ref,  # sealed for this key, naming vote B
    }
    for problem, ciphertext in bad.items():
        intruder = Envelope.objects.create(
            target=survey.ballot_ref, ciphertext=ciphertext, fingerprint=crypto.fingerprint(ciphertext + b"!")
        )
        message = _close(survey, admin_a)
        assert intruder.fingerprint[:16] in message and problem in message, (problem, message)
        _unchanged(survey, len(codes) + 1, count)
        intruder.delete()  # the fix: remove the record that cannot be counted
    assert _close(survey, admin_a) == ""
    _recount(survey, codes)


@pytest.mark.django_db  # nothing here needs real commits: faster
def test_an_envelope_whose_ciphertext_no_longer_matches_its_fingerprint_is_refused(org_a, admin_a, english):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation remplacée")
    cast("yes")
    cast("no")
    survey.refresh_from_db()
    victim = survey.envelopes().first()
    # Whoever can write to the database seals a ballot of their own with the public key
    # and puts it in place of the victim's, keeping the fingerprint the victim was shown.
    record = {"day": "2026-12-06", "channel": "online", "receipt": None, "payload": {}}
    victim.ciphertext = crypto.seal_record(bytes.fromhex(survey.public_key), survey.ballot_ref, record)
    victim.save(update_fields=["ciphertext"])
    message = _close(survey, admin_a)
    assert victim.fingerprint[:16] in message
    _unchanged(survey, 2, ActionLogEntry.objects.count())


@pytest.mark.django_db  # nothing here needs real commits: faster
def test_the_size_of_an_envelope_does_not_tell_a_long_answer_from_a_short_one(org_a, admin_a, english):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation avec explication", long_text=True)
    explanation = "Trop près des écoles, et le quartier manque déjà de transports. " * 20  # ~1,300 chars
    known = ["yes", "no"] * 6
    for answer in known:
        cast(answer, explanation if answer == "no" else "")
    sizes = [len(bytes(c)) for c in survey.envelopes().values_list("ciphertext", flat=True)]
    by_size = set(sizes)
    # The attacker's rule "the larger envelopes are the Non" would be right for every voter:
    # the participation beside each envelope (same rowid rank, same xmin) names its voter.
    large = sum(size > min(sizes) for size in sizes)
    assert large in (0, known.count("no"))
    assert len(by_size) == 1, f"envelope sizes {sorted(by_size)}: each size class gives the answer away"


def test_the_day_of_a_record_does_not_link_it_to_the_accounts_that_took_part_that_day(
    org_a, admin_a, attacker, english
):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation sur huit jours")
    participations = SurveyParticipation._meta.db_table
    day_of_voter, answer_of_code = {}, {}
    for day, answer in enumerate(["yes", "no", "no", "yes", "no", "yes", "yes", "no"], start=1):
        when = datetime.datetime(2026, 12, day, 12, 0, tzinfo=datetime.UTC)
        with time_machine.travel(when, tick=True):
            answer_of_code[cast(answer)] = answer
            # The nightly backup: whose participation appeared since yesterday's.
            snapshot = attacker.copy(f"backup of day {day}")
        previous = attacker.snapshots[-2] if len(attacker.snapshots) > 1 else None
        added = appeared(previous, snapshot) if previous else snapshot.rows(participations)
        new = [row for row in added if row.table == participations]
        for row in new:
            day_of_voter[row.values["user_id"]] = when.date()
    assert _close(survey, admin_a) == ""
    records = Answer.objects.filter(survey=survey)
    answers_by_day: dict = {}
    for record in records:
        answers_by_day.setdefault(record.day, set()).add(json.dumps(record.payload, sort_keys=True))
    # The attacker's candidates for each voter: the answers recorded on their day. Both
    # answers must remain possible for every voter.
    every_answer = set().union(*answers_by_day.values())
    for user_id, day in day_of_voter.items():
        # A day holding no record tells the attacker nothing: every answer stays possible.
        candidates = answers_by_day.get(day, every_answer)
        assert len(candidates) > 1, f"account {user_id} voted alone on {day}: their answer is {candidates}"
    assert len(answers_by_day) == 1, "records keep the days they were cast"


@pytest.mark.django_db
def test_the_majority_judgment_receipt_is_shown_once_as_a_code_and_never_cached(org_a, admin_a):
    vote = majority_judgment(org_a, admin_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(UserFactory(organization=org_a))
    component = vote.target.component
    response = client.post(f"{component.get_absolute_url()}vote/", {})
    shown = re.search(rb'id="receipt-code">(.*?)</code>', response.content, re.S).group(1).strip()
    assert CODE.fullmatch(shown), shown
    assert "no-store" in response["Cache-Control"]


@pytest.mark.alone_on_the_database_server  # another worker's open transaction keeps dead rows
def test_a_raw_copy_taken_after_closing_no_longer_holds_the_platform_key_salt(
    org_a, admin_a, attacker, english, monkeypatch
):
    handed_to_queue = []
    monkeypatch.setattr(
        ballotbox_tasks.rewrite_after_closing, "schedule", lambda **kwargs: handed_to_queue.append(kwargs)
    )
    survey, cast = _small_consultation(org_a, admin_a, "Consultation close")
    cast("yes")
    cast("no")
    survey.refresh_from_db()
    salt = survey.key_salt
    assert salt and salt.encode() in attacker.copy("while voting").raw
    assert _close(survey, admin_a) == ""
    survey.refresh_from_db()
    assert survey.key_salt == ""
    # Even alone on the server, autovacuum's ANALYZE can hold an older snapshot for a moment:
    # closing then leaves the rewrite to the queue, which tries again, as here.
    for _attempt in range(20):
        if not handed_to_queue or ballotbox_services.rewrite_without_dead_rows(Survey._meta.db_table):
            break
        time.sleep(0.5)
    still_there = salt.encode() in attacker.copy("after closing").raw
    assert not still_there, "the salt erased at closing is still in the raw copy"


@pytest.mark.django_db  # nothing here needs real commits: faster
def test_a_valid_ballot_slipped_into_the_database_is_not_counted(org_a, admin_a, english):
    survey, cast = _small_consultation(org_a, admin_a, "Consultation bourrée")
    codes = [cast("yes"), cast("no")]
    survey.refresh_from_db()
    count = ActionLogEntry.objects.count()
    # Whoever can write to the database encrypts a perfectly valid online ballot with the
    # vote's public key and stores it with no account beside it.
    question = survey.questions.get()
    option = question.options.get(label="Oui")
    payload = {question.key: {"choice": option.key}}
    record = {"channel": "online", "receipt": None, "payload": payload}
    ciphertext = crypto.seal_record(
        bytes.fromhex(survey.public_key),
        survey.ballot_ref,
        record,
        size=len(bytes(survey.envelopes().first().ciphertext)) - 48,
    )
    stuffed = Envelope.objects.create(
        target=survey.ballot_ref, ciphertext=ciphertext, fingerprint=crypto.fingerprint(ciphertext)
    )
    message = _close(survey, admin_a)
    assert "3 online records but 2 accounts took part" in message, message
    _unchanged(survey, 3, count)
    stuffed.delete()
    assert _close(survey, admin_a) == ""
    _recount(survey, codes)
