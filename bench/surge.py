"""Load, surge and faults: does every acknowledged vote count exactly once?

One command, against gunicorn (2 workers × 4 threads) and huey's consumer on loopback,
on SQLite (huey on SQLite) by default, or on PostgreSQL with the Redis queue when
DATABASE_URL and REDIS_URL are set:

    python bench/surge.py [--voters 2000] [--mix-seconds 20] [--clients 16] [--no-faults]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civitas_surge_bench \\
        REDIS_URL=redis://127.0.0.1:6379/3 python bench/surge.py

1. Mix: ``--clients`` visitors for ``--mix-seconds`` browse (home, space, proposal list
   and detail, search) or act logged in (support, comment, answer the consultation),
   in a realistic proportion. Per action: throughput, p50 / p95 / p99, errors, and the
   ratio to a trivial view served by the same stack (the framework's ceiling here).
2. Surge: ``--voters`` distinct voters each answer the consultation, confirm a budget
   vote and grade every candidate of a majority-judgment vote (the
   vote actions below) within about a minute, while, unless ``--no-faults``, a web
   worker is killed with SIGKILL twice, the huey consumer is killed with SIGKILL and
   restarted, and every database connection is dropped (PostgreSQL only: SQLite has
   no server connection to drop). A voter whose request fails retries, as a person
   clicking again would.
3. Checks, from the database: at most one ballot per voter and kind, a ballot for
   every acknowledged vote, anonymous records equal to participation records, the
   tally at closing equal to the ballots, no notification or e-mail delivered twice,
   the queue drained and the site answering after the faults. Any failed check makes
   the exit code 1.

Writes bench/results/surge_<database>.json.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadkit import (  # noqa: E402
    ROOT,
    Browser,
    Gunicorn,
    HueyConsumer,
    ServerCpu,
    free_port,
    fresh_postgres_database,
    manage,
    print_table,
    summarize,
)

# One folder per database, so that a run on each at once never wipes the other's.
_DATABASE_KIND = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
VAR = ROOT / "bench" / "var" / "surge" / _DATABASE_KIND
RESULTS = ROOT / "bench" / "results"
HOST = "localhost"
ACK = "ack"  # the server said the vote is stored
ALREADY = "already"  # a retry found the vote already stored by an attempt that looked failed
GAVE_UP = "gave up"


def setup_environment() -> None:
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_VAR_DIR": str(VAR),
            "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "CIVITAS_EMAIL_FILE_PATH": str(VAR / "mail"),
            "CIVITAS_HUEY_IMMEDIATE": "false",
            "CIVITAS_HUEY_NAME": f"surge-{os.getpid()}",
        }
    )
    # The platform's settings with a counter of each request's SQL statements (a response
    # header, read by the vote-rate phase): bench/surge_settings.py.
    os.environ["DJANGO_SETTINGS_MODULE"] = "surge_settings"
    bench = str(ROOT / "bench")
    others = [part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part and part != bench]
    os.environ["PYTHONPATH"] = os.pathsep.join([bench, *others])
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{VAR / 'surge.sqlite3'}")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        fresh_postgres_database(os.environ["DATABASE_URL"])
    manage("migrate", "--noinput", "-v0")
    manage("createcachetable")
    manage("collectstatic", "--noinput", "-v0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if os.environ.get("REDIS_URL"):
        from huey.contrib.djhuey import HUEY

        HUEY.flush()


# --- seeding --------------------------------------------------------------------------


def _published_component(space, admin, phase, name: str, kind: str, phase_settings: dict):
    from civitas.components.manifest import registry
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )

    manifest = registry.get(kind)
    component = do_add_component(space=space, user=admin, manifest=manifest, name=name)
    do_configure_component(
        component=component,
        user=admin,
        name=name,
        settings=manifest.settings.clean({}),
        phase_settings={str(phase.pk): manifest.phase_settings.clean(phase_settings)},
    )
    do_set_component_published(component=component, user=admin, published=True)
    return component


def seed(voters: int, proposals: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from civitas.components.budgets.models import Budget, Project
    from civitas.components.majority_judgment.models import Candidate
    from civitas.components.majority_judgment.services import election_of
    from civitas.components.proposals.models import Proposal
    from civitas.components.surveys.models import Option, Question, Survey
    from civitas.notifications.models import Follow
    from civitas.organizations.services import do_create_organization
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    started = time.perf_counter()
    organization, admin = do_create_organization(
        name="Métropole Bench", host=HOST, admin_email="admin@bench.test"
    )
    space = do_create_space(
        organization=organization, user=admin, kind="process", title="Budget participatif"
    )
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Vote", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    ideas = _published_component(
        space, admin, phase, "Idées", "proposals", {"supports": "enabled", "creation_enabled": True}
    )
    consultation = _published_component(
        space, admin, phase, "Consultation", "surveys", {"answers_enabled": True}
    )
    budgets = _published_component(
        space, admin, phase, "Budget participatif", "budgets", {"voting_enabled": True}
    )
    budget = Budget.objects.create(component=budgets, title="Toute la ville", total=1_000_000)
    projects = [
        Project.objects.create(
            budget=budget, title=f"Projet {index}", amount=100_000 + 10_000 * index, position=index
        )
        for index in range(12)
    ]
    judgment = _published_component(
        space, admin, phase, "Jugement majoritaire", "majority_judgment", {"voting_enabled": True}
    )
    election = election_of(judgment)
    candidates = [
        Candidate.objects.create(election=election, title=f"Proposition finale {index}", position=index)
        for index in range(10)
    ]
    survey = Survey.objects.get(component=consultation)
    where = Question.objects.create(survey=survey, type="single", label="Votre quartier", position=0)
    for index, label in enumerate(["Centre", "Nord", "Sud", "Est"]):
        Option.objects.create(question=where, label=label, position=index)
    mark = Question.objects.create(survey=survey, type="scale", label="Votre avis sur le projet", position=1)
    Question.objects.create(survey=survey, type="short_text", label="En un mot", position=2)

    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    organization=organization,
                    email=f"v{i}@bench.test",
                    name=f"Votant {i}",
                    nickname=f"votant{i}",
                    email_confirmed_at=now,
                    last_login=now,
                    password="!",
                )
                for i in range(voters)
            ],
            batch_size=2000,
        )
    people = list(User.objects.filter(organization=organization, is_organization_admin=False).order_by("pk"))
    rng = random.Random(7)
    with transaction.atomic():
        Proposal.objects.bulk_create(
            [
                Proposal(
                    component=ideas,
                    author=rng.choice(people),
                    title=f"Un jardin partagé numéro {i}",
                    body=f"<p>Proposition {i} : des arbres, des bancs et de l'ombre.</p>",
                    published_at=now,
                )
                for i in range(proposals)
            ],
            batch_size=2000,
        )
        proposal_type = ContentType.objects.get_for_model(Proposal)
        proposal_rows = list(Proposal.objects.filter(component=ideas).values_list("pk", "author_id"))
        # Authors follow their proposals, so comments notify and e-mail them.
        Follow.objects.bulk_create(
            [
                Follow(user_id=author, content_type=proposal_type, object_id=pk)
                for pk, author in proposal_rows
            ],
            batch_size=2000,
        )
    with transaction.atomic():
        sessions = []
        for person in people:
            store = SessionStore()
            data = {
                "_auth_user_id": str(person.pk),
                "_auth_user_backend": "civitas.accounts.backends.OrganizationAccountBackend",
                "_auth_user_hash": person.get_session_auth_hash(),
            }
            key = store._get_new_session_key()
            sessions.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=store.get_expiry_date())
            )
        Session.objects.bulk_create(sessions, batch_size=2000)
    questions = {question.label: question for question in survey.ordered_questions()}
    return {
        "seconds_to_seed": round(time.perf_counter() - started, 1),
        "space_url": f"/spaces/{space.slug}/",
        "proposals_url": ideas.get_absolute_url(),
        "proposal_ids": [pk for pk, _author in proposal_rows],
        "proposal_type": proposal_type.pk,
        "survey_id": survey.pk,
        "survey_url": consultation.get_absolute_url(),
        "survey_form": {
            "where": (where.key, [option.key for option in where.options.all()]),
            "mark": (mark.key, mark.scale_min, mark.scale_max),
            "word": questions["En un mot"].key,
        },
        "election_id": election.pk,
        "election_url": judgment.get_absolute_url(),
        "candidate_ids": [candidate.pk for candidate in candidates],
        "grade_count": len(election.grades),
        "budget_id": budget.pk,
        "budget_url": budget.get_absolute_url(),
        "project_ids": [project.pk for project in projects],
        "voters": [
            (person.pk, session.session_key) for person, session in zip(people, sessions, strict=True)
        ],
    }


# --- what visitors do -----------------------------------------------------------------


def survey_answer(plan: dict, rng: random.Random) -> dict:
    form = plan["survey_form"]
    where_key, options = form["where"]
    mark_key, low, high = form["mark"]
    return {
        where_key: rng.choice(options),
        mark_key: str(rng.randint(low, high)),
        form["word"]: rng.choice(["ombre", "arbres", "bancs", "calme", "fontaine"]),
    }


def answer_survey(browser: Browser, plan: dict, rng: random.Random):
    """One consultation answer; the receipt page (200, shown in the answer to the POST itself)
    means stored, a refusal is 400."""
    response = browser.request("POST", plan["survey_url"], survey_answer(plan, rng))
    return response, response.status == 200


def answered_already(browser: Browser, plan: dict) -> bool:
    page = browser.request("GET", plan["survey_url"]).body
    return "Vous avez déjà répondu à cette consultation" in page


def vote_budget(browser: Browser, plan: dict, rng: random.Random):
    """Three projects ticked on the budget page's ballot (at most 630,000 € of 1,000,000 €), voted at once.

    On a retry after a lost answer the vote may already be stored: the ballot is then
    refused (400) and the check below finds it. Only the confirmation page (200) says the
    vote is stored.
    """
    chosen = rng.sample(plan["project_ids"], 3)
    # confirm_final: the box saying that a confirmed vote is final, ticked (without it, 400).
    response = browser.request(
        "POST", f"{plan['budget_url']}vote/", {"project": chosen, "intent": "confirm", "confirm_final": "1"}
    )
    return response, response.status == 200


def budget_confirmed(browser: Browser, plan: dict) -> bool:
    page = browser.request("GET", plan["budget_url"]).body
    return "Vous avez voté dans ce budget" in page


def grade_candidates(browser: Browser, plan: dict, rng: random.Random):
    """A majority-judgment ballot grading every candidate; the receipt page (200) means stored."""
    grades = {f"candidate-{pk}": str(rng.randrange(plan["grade_count"])) for pk in plan["candidate_ids"]}
    response = browser.request("POST", f"{plan['election_url']}vote/", grades)
    return response, response.status == 200


def judged_already(browser: Browser, plan: dict) -> bool:
    return "Vous avez déjà voté" in browser.request("GET", plan["election_url"]).body


# Each vote the surge casts: (kind, cast, already stored?).
VOTE_ACTIONS = [
    ("consultation answer", answer_survey, answered_already),
    ("budget vote", vote_budget, budget_confirmed),
    ("majority-judgment ballot", grade_candidates, judged_already),
]


def browse_actions(plan: dict) -> list[tuple[str, int, callable]]:
    """(label, weight, act) — roughly what a participation platform's traffic looks like."""

    def get(path_of):
        return lambda browser, rng: browser.request("GET", path_of(rng))

    def support(browser, rng):
        url = f"{plan['proposals_url']}{rng.choice(plan['proposal_ids'])}/support/"
        return browser.request("POST", url, {"action": rng.choice(["support", "withdraw"])})

    def comment(browser, rng):
        target = rng.choice(plan["proposal_ids"][:200])
        body = rng.choice(
            ["Bonne idée, il faut de l'ombre.", "Pourquoi pas près de l'école ?", "Je soutiens."]
        )
        url = f"/comments/{plan['proposal_type']}/{target}/add/"
        return browser.request("POST", url, {"body": body, "alignment": "for"})

    def answer(browser, rng):
        return answer_survey(browser, plan, rng)[0]

    return [
        ("home (anonymous)", 10, get(lambda rng: "/")),
        ("space page (anonymous)", 8, get(lambda rng: plan["space_url"])),
        ("proposal list (anonymous)", 20, get(lambda rng: plan["proposals_url"])),
        (
            "proposal detail (anonymous)",
            20,
            get(lambda rng: f"{plan['proposals_url']}{rng.choice(plan['proposal_ids'])}/"),
        ),
        ("majority-judgment page (anonymous)", 4, get(lambda rng: plan["election_url"])),
        ("budget page (anonymous)", 6, get(lambda rng: plan["budget_url"])),
        ("search (anonymous)", 8, get(lambda rng: f"/search/?q={rng.choice(['jardin', 'arbres', 'bancs'])}")),
        ("support (logged in)", 15, support),
        ("comment (logged in)", 5, comment),
        ("consultation answer (logged in)", 5, answer),
    ]


def run_mix(port: int, plan: dict, clients: int, seconds: float, voters: list) -> list[dict]:
    actions = browse_actions(plan)
    weights = [weight for _label, weight, _act in actions]
    latencies = collections.defaultdict(list)
    errors = collections.Counter()
    kinds = collections.defaultdict(collections.Counter)  # label -> status (or "connection") -> count
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def visitor(index: int):
        rng = random.Random(index)
        anonymous = Browser(port, HOST)
        logged_in = Browser(port, HOST, session=voters[index][1])
        mine, failed = collections.defaultdict(list), collections.Counter()
        while time.perf_counter() < deadline:
            label, _weight, act = rng.choices(actions, weights)[0]
            browser = logged_in if "logged in" in label else anonymous
            try:
                response = act(browser, rng)
            except (OSError, http.client.HTTPException) as error:
                failed[label] += 1
                with lock:
                    kinds[label][type(error).__name__] += 1
                continue
            # A second answer by the same account is refused by design, not an error.
            refused_by_design = label.startswith("consultation") and response.status == 400
            if response.status >= 400 and not refused_by_design:
                failed[label] += 1
                with lock:
                    kinds[label][f"HTTP {response.status}"] += 1
            mine[label].append(response.seconds)
        with lock:
            for label, values in mine.items():
                latencies[label].extend(values)
            errors.update(failed)

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rows = [summarize(label, latencies[label], errors[label], elapsed) for label, _w, _a in actions]
    for row in rows:
        row["error_kinds"] = dict(kinds[row["label"]])
    return rows


def measure_trivial(port: int, clients: int, seconds: float) -> dict:
    latencies, errors, lock = [], 0, threading.Lock()
    deadline = time.perf_counter() + seconds

    def visitor():
        nonlocal errors
        browser, mine, failed = Browser(port, HOST), [], 0
        while time.perf_counter() < deadline:
            try:
                response = browser.request("GET", "/healthz")
            except OSError:
                failed += 1
                continue
            failed += response.status != 200
            mine.append(response.seconds)
        with lock:
            latencies.extend(mine)
            errors += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=visitor) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarize("trivial view (/healthz)", latencies, errors, time.perf_counter() - started)


def measure_votes(port: int, plan: dict, clients: int) -> dict:
    """Each voter of ``plan["voters"]`` casts the three votes once, ``clients`` at a time,
    with no fault and no retry: votes per second (stored votes only), each action's
    latency, and the SQL statements each vote sent as the server counted them
    (bench/query_count.py). Measured beside the trivial view by the caller."""
    queue = list(reversed(plan["voters"]))
    latencies = collections.defaultdict(list)
    statements = collections.defaultdict(list)
    refused = collections.defaultdict(collections.Counter)
    lock = threading.Lock()

    def worker(index: int):
        rng = random.Random(5000 + index)
        while True:
            with lock:
                if not queue:
                    return
                _user_id, session = queue.pop()
            browser = Browser(port, HOST, session=session)
            for kind, cast, _stored_already in VOTE_ACTIONS:
                try:
                    response, stored = cast(browser, plan, rng)
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        refused[kind][type(error).__name__] += 1
                    continue
                with lock:
                    if not stored:
                        refused[kind][f"HTTP {response.status}"] += 1
                        continue
                    latencies[kind].append(response.seconds)
                    if response.queries is not None:
                        statements[kind].append(response.queries)
            browser.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rows = []
    for kind, _cast, _check in VOTE_ACTIONS:
        row = summarize(f"{kind} (vote rate)", latencies[kind], sum(refused[kind].values()), elapsed)
        counted = statements[kind]
        row["statements_per_vote"] = (
            {"min": min(counted), "max": max(counted), "mean": round(sum(counted) / len(counted), 2)}
            if counted
            else None
        )
        row["error_kinds"] = dict(refused[kind])
        rows.append(row)
    votes = sum(len(values) for values in latencies.values())
    return {
        "voters": len(plan["voters"]),
        "clients": clients,
        "seconds": round(elapsed, 1),
        "votes": votes,
        "votes_per_second": round(votes / elapsed, 1) if elapsed else None,
        "rows": rows,
    }


# --- the surge and its faults ---------------------------------------------------------


def cast_with_retries(
    browser: Browser, plan: dict, rng: random.Random, cast, stored_already
) -> tuple[str, int]:
    """Cast one vote like a person would: on an error, wait and click again.

    Returns the outcome and the number of attempts. A vote whose first answer was lost
    (the worker died after the commit) is found stored on the retry: that is ALREADY.
    """
    for attempt in range(1, 9):
        try:
            response, stored = cast(browser, plan, rng)
            if stored:
                return ACK, attempt
            if response.status < 500 and stored_already(browser, plan):
                return (ALREADY if attempt > 1 else ACK), attempt
        except (OSError, http.client.HTTPException):  # the worker died mid-answer
            pass
        time.sleep(0.3 * attempt)
    return GAVE_UP, 8


class Faults(threading.Thread):
    """Kills and drops on a schedule relative to the surge's start."""

    def __init__(self, server: Gunicorn, huey: HueyConsumer, postgres: bool, progress):
        super().__init__(daemon=True)
        self.server, self.huey, self.postgres, self.progress = server, huey, postgres, progress
        self.events: list[str] = []
        self.started = time.perf_counter()

    def log(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.events.append(f"t+{elapsed:4.1f} s ({self.progress():4.0%} of voters done)  {text}")

    def run(self) -> None:
        # Faults strike at fixed shares of the surge, whatever its speed on this machine.
        self.wait_for(0.10)
        self.log(f"SIGKILL web worker {self.server.kill_one_worker()}")
        self.wait_for(0.25)
        self.log(f"SIGKILL huey consumer {self.huey.kill()}")
        self.wait_for(0.35)
        self.huey.start()
        self.log("huey consumer restarted")
        self.wait_for(0.50)
        self.log(self.drop_database_connections())
        self.wait_for(0.70)
        self.log(f"SIGKILL web worker {self.server.kill_one_worker()}")

    def wait_for(self, share: float) -> None:
        while self.progress() < share:
            time.sleep(0.05)

    def drop_database_connections(self) -> str:
        if not self.postgres:
            return "drop database connections: not applicable on SQLite (no server connections)"
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            dropped = cursor.fetchone()[0]
        return f"dropped {dropped} database connections (pg_terminate_backend)"


def mention_someone(browser: Browser, plan: dict, rng: random.Random, own: int) -> bool:
    """A comment mentioning another voter: a notification and an e-mail, sent by a task."""
    target = rng.choice(plan["proposal_ids"][:200])
    someone = rng.choice([index for index in (own - 1, own + 1) if 0 <= index < len(plan["voters"])])
    body = f"Je suis d'accord avec toi @votant{someone}, pensons aux arbres."
    for attempt in range(1, 6):
        try:
            response = browser.request(
                "POST", f"/comments/{plan['proposal_type']}/{target}/add/", {"body": body}
            )
            if response.status == 302:
                return True
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.3 * attempt)
    return False


class Progress:
    def __init__(self, total: int):
        self.total, self.done, self.lock = total, 0, threading.Lock()

    def advance(self) -> None:
        with self.lock:
            self.done += 1

    def __call__(self) -> float:
        return self.done / self.total


def run_surge(port: int, plan: dict, clients: int, progress: Progress) -> dict:
    voters = list(enumerate(plan["voters"]))
    mentions = 0
    outcomes: dict[str, dict[int, str]] = {kind: {} for kind, _cast, _check in VOTE_ACTIONS}
    attempts = collections.Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    queue = list(reversed(voters))

    def worker(index: int):
        nonlocal mentions
        rng = random.Random(1000 + index)
        while True:
            with lock:
                if not queue:
                    return
                position, (user_id, session) = queue.pop()
            browser = Browser(port, HOST, session=session)
            for kind, cast, stored_already in VOTE_ACTIONS:
                started = time.perf_counter()
                outcome, tries = cast_with_retries(browser, plan, rng, cast, stored_already)
                with lock:
                    outcomes[kind][user_id] = outcome
                    attempts[tries] += 1
                    latencies.append(time.perf_counter() - started)
            if rng.random() < 0.25 and mention_someone(browser, plan, rng, position):
                with lock:
                    mentions += 1
            browser.close()
            progress.advance()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 1),
        "votes": sum(len(by_voter) for by_voter in outcomes.values()),
        "outcomes": {kind: dict(collections.Counter(by.values())) for kind, by in outcomes.items()},
        "attempts": dict(sorted(attempts.items())),
        "per_vote": summarize("surge vote (with retries)", latencies, 0, elapsed),
        "mention comments acknowledged": mentions,
        "by_voter": outcomes,
    }


# --- checks ---------------------------------------------------------------------------


def wait_for_queue(timeout: float = 120) -> int:
    from huey.contrib.djhuey import HUEY

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        pending = HUEY.pending_count()
        if pending == 0:
            return 0
        time.sleep(1)
    return HUEY.pending_count()


def check_consultation(plan: dict, by_voter: dict[int, str]) -> dict:
    from django.db.models import Count

    from civitas.ballotbox.services import verify
    from civitas.components.surveys.models import Answer, Survey
    from civitas.components.surveys.services import do_close

    survey = Survey.objects.get(pk=plan["survey_id"])
    per_user = survey.participations.values("user_id").annotate(n=Count("pk"))
    stored = {row["user_id"]: row["n"] for row in per_user}
    acknowledged = [user for user, outcome in by_voter.items() if outcome in (ACK, ALREADY)]
    surge_voters = set(by_voter)
    # Encrypted envelopes while open; closing opens them into answers.
    envelopes = survey.envelopes().count()
    admin = survey.component.space.organization.users.filter(is_organization_admin=True).first()
    closed = do_close(survey=survey, user=admin)
    answers = Answer.objects.filter(survey=survey).count()
    tally_total = _tally_total(closed.tally)
    problems = verify(closed)
    return {
        "acknowledged": len(acknowledged),
        "participations (surge voters)": sum(n for user, n in stored.items() if user in surge_voters),
        "participations (all)": sum(stored.values()),
        "encrypted answers before closing": envelopes,
        "anonymous answers after closing": answers,
        "duplicated (voters with more than one)": sum(1 for n in stored.values() if n > 1),
        "lost (acknowledged but not stored)": sum(1 for user in acknowledged if stored.get(user, 0) != 1),
        "tally at closing": tally_total,
        "seal verified": not problems,
        "ok": not problems
        and (
            all(stored.get(user, 0) == 1 for user in acknowledged)
            and all(n == 1 for n in stored.values())
            and envelopes == answers == sum(stored.values()) == tally_total
        ),
    }


def check_budget(plan: dict, by_voter: dict[int, str]) -> dict:
    from civitas.ballotbox.services import verify
    from civitas.components.budgets.models import Budget, BudgetBallot, BudgetParticipation
    from civitas.components.budgets.services import do_close_vote

    budget = Budget.objects.get(pk=plan["budget_id"])
    # Who voted is known; what they chose only once closing has opened the encrypted ballots.
    voted = BudgetParticipation.objects.filter(budget=budget)
    per_user = collections.Counter(voted.values_list("user_id", flat=True))
    acknowledged = [user for user, outcome in by_voter.items() if outcome in (ACK, ALREADY)]
    costs = {str(project.pk): project.amount for project in budget.projects.all()}
    orders = sum(per_user.values())
    admin = budget.component.space.organization.users.filter(is_organization_admin=True).first()
    [closed] = do_close_vote(component=budget.component, user=admin)
    ballots = BudgetBallot.objects.filter(budget=closed).count()
    over_budget = sum(
        1
        for payload in BudgetBallot.objects.filter(budget=closed).values_list("payload", flat=True)
        if sum(costs[project] for project in payload["projects"]) > budget.total
    )
    problems = verify(closed)
    return {
        "acknowledged": len(acknowledged),
        "voters": orders,
        "duplicated (voters with more than one)": sum(1 for n in per_user.values() if n > 1),
        "lost (acknowledged but not stored)": sum(1 for user in acknowledged if per_user.get(user, 0) != 1),
        "over budget": over_budget,
        "sealed ballots": ballots,
        "tally at closing": closed.tally["ballots"],
        "seal verified": not problems,
        "ok": (
            all(per_user.get(user, 0) == 1 for user in acknowledged)
            and all(n == 1 for n in per_user.values())
            and not problems
            and over_budget == 0
            and orders == ballots == closed.tally["ballots"]
        ),
    }


def check_majority_judgment(plan: dict, by_voter: dict[int, str]) -> dict:
    from civitas.ballotbox.services import verify
    from civitas.components.majority_judgment.models import Ballot, Election
    from civitas.components.majority_judgment.services import do_close

    election = Election.objects.get(pk=plan["election_id"])
    per_user = collections.Counter(election.participations.values_list("user_id", flat=True))
    acknowledged = [user for user, outcome in by_voter.items() if outcome in (ACK, ALREADY)]
    # Encrypted envelopes while open; closing opens them into ballots.
    envelopes = election.envelopes().count()
    admin = election.component.space.organization.users.filter(is_organization_admin=True).first()
    closed = do_close(election=election, user=admin)
    ballots = Ballot.objects.filter(election=election).count()
    problems = verify(closed)
    return {
        "acknowledged": len(acknowledged),
        "participations": sum(per_user.values()),
        "encrypted ballots before closing": envelopes,
        "anonymous ballots after closing": ballots,
        "duplicated (voters with more than one)": sum(1 for n in per_user.values() if n > 1),
        "lost (acknowledged but not stored)": sum(1 for user in acknowledged if per_user.get(user, 0) != 1),
        "tally at closing": closed.tally["ballots"],
        "seal verified": not problems,
        "ok": (
            all(per_user.get(user, 0) == 1 for user in acknowledged)
            and all(n == 1 for n in per_user.values())
            and envelopes == ballots == sum(per_user.values()) == closed.tally["ballots"]
            and not problems
        ),
    }


def _tally_total(tally: dict) -> int:
    return tally["answers"]


def check_side_effects(mentions: int) -> dict:
    from django.db.models import Count

    from civitas.notifications.models import Notification

    mentioned = Notification.objects.filter(kind="comment_mention").count()
    twice = Notification.objects.values("user_id", "event_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    mail_dir = VAR / "mail"
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        # The file backend appends each message followed by a line of 79 dashes.
        messages += [chunk for chunk in path.read_text().split("-" * 79) if chunk.strip()]
    fingerprints = collections.Counter(_mail_fingerprint(message) for message in messages)
    duplicated = sum(count - 1 for count in fingerprints.values() if count > 1)
    return {
        "mention comments acknowledged": mentions,
        "mention notifications": mentioned,
        # Not a failure by the rule (nothing ran twice), but worth seeing: a task
        # the killed consumer had taken is gone with it.
        "mention notifications never delivered": mentions - mentioned,
        "notifications delivered twice": twice,
        "e-mails": len(messages),
        "e-mails sent twice": duplicated,
        "ok": twice == 0 and duplicated == 0,
    }


def _mail_fingerprint(message: str) -> str:
    lines = [line for line in message.splitlines() if not line.startswith(("Date:", "Message-ID:"))]
    return "\n".join(lines)


def database_name(database_url: str) -> str:
    """The PostgreSQL database's name (whose backends ServerCpu counts); SQLite has none."""
    if not database_url.startswith("postgres"):
        return "(no PostgreSQL database)"  # a name no backend's title holds
    import dj_database_url

    return dj_database_url.parse(database_url)["NAME"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent visitors in the mix")
    parser.add_argument("--surge-clients", type=int, default=40, help="concurrent voters in the surge")
    parser.add_argument("--mix-seconds", type=float, default=20)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument(
        "--rate-voters",
        type=int,
        default=300,
        help="voters of the vote-rate phase (no faults, beside the trivial view), taken from --voters",
    )
    args = parser.parse_args()

    setup_environment()
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    queue = "redis" if os.environ.get("REDIS_URL") else "sqlite"
    plan = seed(args.voters, args.proposals)
    # The mix's logged-in visitors are the last voters, the vote-rate phase's come before
    # them: the surge's voters start fresh.
    mix_voters = plan["voters"][-args.clients :]
    rate_plan = {**plan, "voters": plan["voters"][-args.clients - args.rate_voters : -args.clients]}
    surge_plan = {**plan, "voters": plan["voters"][: -args.clients - args.rate_voters]}
    port = free_port()
    server = Gunicorn(port)
    huey = HueyConsumer()
    report: dict = {"database": database, "queue": queue, "seconds_to_seed": plan["seconds_to_seed"]}
    try:
        run_mix(port, plan, 4, 2.0, mix_voters)  # warm every worker up
        trivial = measure_trivial(port, args.clients, 5)
        rows = [trivial, *run_mix(port, plan, args.clients, args.mix_seconds, mix_voters)]
        # Votes per second beside the trivial view, measured just before and just after
        # them with as many clients (A, B, A: the machine's load drifts).
        # The servers' CPU per request too (gunicorn workers, PostgreSQL backends): requests
        # per second follow what else the shared machine runs, CPU per request does not.
        cpu = ServerCpu(server.process.pid, database_name(os.environ["DATABASE_URL"]))
        before = cpu.snapshot()
        trivial_before = measure_trivial(port, args.clients, 5)
        trivial_cpu = cpu.per_request(before, trivial_before["requests"])
        before = cpu.snapshot()
        rate = measure_votes(port, rate_plan, args.clients)
        rate["server_cpu_ms_per_vote"] = cpu.per_request(before, rate["votes"])
        before = cpu.snapshot()
        trivial_after = measure_trivial(port, args.clients, 5)
        after_cpu = cpu.per_request(before, trivial_after["requests"])
        rate["server_cpu_ms_per_trivial_request"] = {
            kind: round((trivial_cpu[kind] + after_cpu[kind]) / 2, 2) for kind in trivial_cpu
        }
        per_vote = rate["server_cpu_ms_per_vote"]["total"]
        rate["share_of_trivial_view_by_cpu"] = (
            round(rate["server_cpu_ms_per_trivial_request"]["total"] / per_vote, 3) if per_vote else None
        )
        rate["trivial_rps"] = round((trivial_before["rps"] + trivial_after["rps"]) / 2, 1)
        rate["trivial_rps_before_after"] = [trivial_before["rps"], trivial_after["rps"]]
        rate["share_of_trivial_view"] = round((rate["votes_per_second"] or 0) / rate["trivial_rps"], 3)
        progress = Progress(len(surge_plan["voters"]))
        postgres = database.startswith("postgres")
        faults = None if args.no_faults else Faults(server, huey, postgres, progress)
        if faults:
            faults.start()
        surge = run_surge(port, surge_plan, args.surge_clients, progress)
        if faults:
            faults.join()
        alive = Browser(port, HOST).request("GET", "/healthz").status == 200
        # This process's own connections may have been dropped with the others.
        from django.db import connections

        connections.close_all()
        pending = wait_for_queue()
    finally:
        huey.stop()
        server.stop()
    checks = {
        "consultation": check_consultation(surge_plan, surge["by_voter"]["consultation answer"]),
        "majority judgment": check_majority_judgment(
            surge_plan, surge["by_voter"]["majority-judgment ballot"]
        ),
        "budget vote": check_budget(surge_plan, surge["by_voter"]["budget vote"]),
        "side effects": check_side_effects(surge["mention comments acknowledged"]),
        "recovered": {
            "site answers after the faults": alive,
            "tasks still queued": pending,
            "ok": alive and pending == 0,
        },
    }
    report.update(
        {
            "mix": rows,
            "vote_rate": rate,
            "surge": {key: value for key, value in surge.items() if key != "by_voter"},
            "faults": faults.events if faults else [],
            "checks": checks,
        }
    )
    print(f"\n{database} (queue on {queue}): mix of {args.clients} visitors for {args.mix_seconds:.0f} s")
    print_table(rows, trivial["rps"])
    for row in rows:
        if row.get("error_kinds"):
            print(f"  errors of {row['label']}: {row['error_kinds']}")
    print(
        f"\nVote rate: {rate['voters']} voters × {len(VOTE_ACTIONS)} votes by {rate['clients']} clients, "
        f"no fault: {rate['votes']} votes in {rate['seconds']} s = {rate['votes_per_second']} votes/s; "
        f"trivial view {rate['trivial_rps']} req/s (before {rate['trivial_rps_before_after'][0]}, "
        f"after {rate['trivial_rps_before_after'][1]}); votes/s ÷ trivial = {rate['share_of_trivial_view']} "
        f"(target ≥ 0.5: {'met' if rate['share_of_trivial_view'] >= 0.5 else 'NOT met'})"
    )
    print(
        f"  servers' CPU: {rate['server_cpu_ms_per_vote']['total']} ms per vote, "
        f"{rate['server_cpu_ms_per_trivial_request']['total']} ms per trivial request: by CPU, "
        f"votes/s ÷ trivial = {rate['share_of_trivial_view_by_cpu']} (what the machine would give with "
        "nothing else running)"
    )
    print_table(rate["rows"], rate["trivial_rps"])
    for row in rate["rows"]:
        print(f"  SQL statements per {row['label']}: {row['statements_per_vote']}")
        if row["error_kinds"]:
            print(f"  refused {row['label']}: {row['error_kinds']}")
    print(
        f"\nSurge: {len(surge_plan['voters'])} voters × {len(VOTE_ACTIONS)} vote(s) in {surge['seconds']} s "
        f"({surge['votes'] / max(surge['seconds'], 0.001):.1f} votes/s) by {args.surge_clients} clients; "
        f"outcomes {surge['outcomes']}; attempts per vote {surge['attempts']}"
    )
    print_table([surge["per_vote"]], None)
    for event in report["faults"]:
        print(f"  fault {event}")
    failed = False
    for name, result in checks.items():
        failed |= not result["ok"]
        details = ", ".join(f"{key} {value}" for key, value in result.items() if key != "ok")
        print(f"  {'OK  ' if result['ok'] else 'FAIL'} {name}: {details}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"surge_{database}.json").write_text(json.dumps(report, indent=2, default=str))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
