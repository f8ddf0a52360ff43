"""Load benchmark of the proposals component, served by gunicorn on loopback.

Seeds 10,000 proposals, 100,000 supports and 50,000 comments (one proposal holding
1,000 of them), then drives concurrent clients against four URLs for a fixed time:
a trivial view (the stack's ceiling on this machine), the proposal list and the proposal
with 1,000 comments as anonymous visitors (served from the page cache once warm), the
proposal list as logged-in participants (rendered for each request) and the support
action. Prints requests/s and p50/p95/p99 per URL and the ratio to the trivial view, and
writes bench/results/proposals_load.json.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from loadkit import Gunicorn, bench_database_name, free_port

ROOT = Path(__file__).resolve().parent.parent
# The support action is driven like real traffic: many participants, each supporting a
# few proposals (then withdrawing), not one account clicking hundreds of times. One
# account per client would soon meet the per-account rate limit (120 supports in 10
# minutes) and measure 429 refusals instead of the action.
SUPPORTERS_PER_CLIENT = 25
SUPPORTS_PER_SUPPORTER = 5
TARGETS_PER_CLIENT = 50
# Its own folder: it is wiped at every start, and other benchmarks keep theirs in bench/var/.
VAR = ROOT / "bench" / "var" / "proposals_load"
RESULTS = ROOT / "bench" / "results"
HOST = "localhost"


def setup_environment(database_url: str | None) -> None:
    if database_url and database_url.startswith("postgres"):
        bench_database_name(database_url)  # it is flushed below: only a benchmark's own
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_VAR_DIR": str(VAR),
            "DATABASE_URL": database_url or f"sqlite:///{VAR / 'bench.sqlite3'}",
            "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CIVITAS_HUEY_IMMEDIATE": "true",
        }
    )
    os.environ.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    if database_url:
        subprocess.run([*manage, "flush", "--noinput"], check=False, capture_output=True)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *command], check=True)


def seed(proposal_count: int, support_count: int, comment_count: int, clients: int) -> dict:
    """Bulk-insert the data set; returns the URLs and the sessions of the logged-in clients."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from civitas.comments.models import Comment
    from civitas.components.manifest import registry
    from civitas.components.proposals.models import Proposal, Support
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )
    from civitas.organizations.services import do_create_organization
    from civitas.search.text import fold
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    started = time.perf_counter()
    organization, admin = do_create_organization(name="Bench", host=HOST, admin_email="admin@bench.test")
    space = do_create_space(
        organization=organization, user=admin, kind="process", title="Budget participatif"
    )
    phase = Phase.objects.create(space=space, title="Propositions", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    manifest = registry.get("proposals")
    component = do_add_component(space=space, user=admin, manifest=manifest, name="Propositions")
    do_configure_component(
        component=component,
        user=admin,
        name=component.name,
        settings=manifest.settings.clean({}),
        phase_settings={
            str(phase.pk): manifest.phase_settings.clean({"supports": "enabled", "creation_enabled": True})
        },
    )
    do_set_component_published(component=component, user=admin, published=True)
    do_set_published(space=space, user=admin, published=True)

    User = get_user_model()
    now = timezone.now()
    # The accounts that log in during the run keep no seeded support, so that each of
    # their support requests is a new support.
    reserved = clients * (1 + SUPPORTERS_PER_CLIENT)
    people = max(2_000, reserved + 1_000, support_count // max(proposal_count // 10, 1))
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    organization=organization,
                    email=f"p{i}@bench.test",
                    name=f"Participant {i}",
                    nickname=f"p{i}",
                    email_confirmed_at=now,
                    password="!",
                )
                for i in range(people)
            ],
            batch_size=2000,
        )
    user_ids = list(
        User.objects.filter(organization=organization, is_organization_admin=False).values_list(
            "pk", flat=True
        )
    )
    rng = random.Random(42)
    with transaction.atomic():
        Proposal.objects.bulk_create(
            [
                Proposal(
                    component=component,
                    author_id=rng.choice(user_ids),
                    title=f"Proposition {i} pour le quartier",
                    folded_title=fold(f"Proposition {i} pour le quartier"),  # bulk_create skips save()
                    body=f"<p>Texte de la proposition {i}, avec quelques phrases pour faire réaliste.</p>",
                    published_at=now,
                )
                for i in range(proposal_count)
            ],
            batch_size=2000,
        )
    proposal_ids = list(Proposal.objects.filter(component=component).values_list("pk", flat=True))
    pairs = set()
    while len(pairs) < support_count:
        pairs.add((rng.choice(proposal_ids), rng.choice(user_ids[reserved:])))
    with transaction.atomic():
        Support.objects.bulk_create(
            [Support(proposal_id=p, user_id=u, component=component) for p, u in pairs], batch_size=5000
        )
    counts: dict[int, int] = {}
    for proposal_id, _user in pairs:
        counts[proposal_id] = counts.get(proposal_id, 0) + 1
    busy = proposal_ids[0]
    proposal_type = ContentType.objects.get_for_model(Proposal)
    comments = []
    for index in range(comment_count):
        target = busy if index < 1000 else rng.choice(proposal_ids)
        comments.append(
            Comment(
                organization=organization,
                component=component,
                content_type=proposal_type,
                object_id=target,
                author_id=rng.choice(user_ids),
                body=f"<p>Commentaire {index}</p>",
                alignment="neutral",
            )
        )
    with transaction.atomic():
        Comment.objects.bulk_create(comments, batch_size=5000)
        comment_counts: dict[int, int] = {}
        for comment in comments:
            comment_counts[comment.object_id] = comment_counts.get(comment.object_id, 0) + 1
        for proposal in Proposal.objects.filter(component=component).only("pk"):
            proposal.support_count = counts.get(proposal.pk, 0)
            proposal.comment_count = comment_counts.get(proposal.pk, 0)
        Proposal.objects.bulk_update(
            [
                Proposal(pk=pk, support_count=counts.get(pk, 0), comment_count=comment_counts.get(pk, 0))
                for pk in proposal_ids
            ],
            ["support_count", "comment_count"],
            batch_size=2000,
        )

    def session_of(user) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "civitas.accounts.backends.OrganizationAccountBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    accounts = list(User.objects.filter(pk__in=user_ids[:reserved]).order_by("pk"))
    sessions = [session_of(user) for user in accounts[:clients]]
    supporters = [session_of(user) for user in accounts[clients:reserved]]
    base = component.get_absolute_url()
    support_targets = proposal_ids[1 : clients * TARGETS_PER_CLIENT + 1]
    return {
        "seconds_to_seed": round(time.perf_counter() - started, 1),
        "urls": {
            "trivial view": "/healthz",
            "proposal list": base,
            "proposal with 1,000 comments": f"{base}{busy}/",
        },
        "support_urls": [f"{base}{pk}/support/" for pk in support_targets],
        "support_targets": support_targets,
        "sessions": sessions,
        "supporter_sessions": [
            supporters[index * SUPPORTERS_PER_CLIENT : (index + 1) * SUPPORTERS_PER_CLIENT]
            for index in range(clients)
        ],
    }


def count_mismatches(proposal_ids: list[int]) -> int:
    """Proposals whose stored support count differs from their counted supports."""
    from django.db.models import Count, F, Q

    from civitas.components.proposals.models import Proposal

    return (
        Proposal.objects.filter(pk__in=proposal_ids)
        .annotate(counted=Count("supports", filter=Q(supports__counted=True)))
        .exclude(support_count=F("counted"))
        .count()
    )


def _request(connection, method, path, headers, body=None):
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return time.perf_counter() - started, response.status, response.msg.get_all("Set-Cookie") or []


def drive(
    port: int, label: str, path: str | None, clients: int, seconds: float, plan: dict, logged_in: bool = False
) -> dict:
    """``clients`` threads each loop on one persistent connection for ``seconds``.

    Anonymous clients keep the cookie the list sets, as a browser does; ``logged_in``
    clients send a participant's session, so they always get a page of their own.
    """
    latencies: list[float] = []
    errors = 0
    # What went wrong, by HTTP status or exception name: "errors" alone says nothing of the cause.
    causes: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(index: int):
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": f"{HOST}:{port}"}
        body = None
        targets = [path]
        method = "GET"
        if logged_in:
            headers["Cookie"] = f"sessionid={plan['sessions'][index]}"
        token = "b" * 32
        if path is None:  # the support action: participants in turn support a few proposals, then withdraw
            headers.update(
                {
                    "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{port}/",
                }
            )
            targets = plan["support_urls"][index * TARGETS_PER_CLIENT : (index + 1) * TARGETS_PER_CLIENT]
            supporters = plan["supporter_sessions"][index]
            method = "POST"
        mine, failed, turn = [], 0, 0
        why: dict[str, int] = {}
        jar: dict[str, str] = {}
        while time.perf_counter() < deadline:
            target = targets[turn % len(targets)]
            if method == "POST":
                # Participant after participant: SUPPORTS_PER_SUPPORTER supports, then as many withdrawals.
                cycle, step = divmod(turn, 2 * SUPPORTS_PER_SUPPORTER)
                supporter = cycle % len(supporters)
                offset = (supporter * SUPPORTS_PER_SUPPORTER + step % SUPPORTS_PER_SUPPORTER) % len(targets)
                target = targets[offset]
                body = "action=support" if step < SUPPORTS_PER_SUPPORTER else "action=withdraw"
                headers["Cookie"] = f"sessionid={supporters[supporter]}; csrftoken={token}"
            turn += 1
            try:
                elapsed, status, set_cookies = _request(connection, method, target, headers, body)
            except (OSError, http.client.HTTPException) as error:
                failed += 1
                why[type(error).__name__] = why.get(type(error).__name__, 0) + 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            if status >= 400:
                failed += 1
                why[str(status)] = why.get(str(status), 0) + 1
            if set_cookies and method == "GET" and not logged_in:
                # Like a browser: keep the cookies (the visitor's order of the list).
                for cookie in set_cookies:
                    name, _sep, value = cookie.split(";", 1)[0].partition("=")
                    jar[name.strip()] = value
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in jar.items())
            mine.append(elapsed)
        with lock:
            latencies.extend(mine)
            errors += failed
            for cause, count in why.items():
                causes[cause] = causes.get(cause, 0) + count

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies.sort()

    def percentile(share):
        return (
            round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 1)
            if latencies
            else None
        )

    return {
        "label": label,
        "requests": len(latencies),
        "errors": errors,
        "error_causes": causes,
        "rps": round(len(latencies) / duration, 1),
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    setup_environment(database_url)
    plan = seed(args.proposals, args.supports, args.comments, args.clients)
    port = free_port()
    server = Gunicorn(port, args.workers)
    try:
        for label, path in plan["urls"].items():  # warm every worker up
            drive(port, label, path, 4, 1.0, plan)
        rows = [
            drive(port, label, path, args.clients, args.seconds, plan) for label, path in plan["urls"].items()
        ]
        list_url = plan["urls"]["proposal list"]
        drive(port, "warm-up", list_url, 4, 1.0, plan, logged_in=True)
        logged_in_list = drive(
            port, "proposal list, logged in", list_url, args.clients, args.seconds, plan, logged_in=True
        )
        rows.append(logged_in_list)
        rows.append(drive(port, "support action", None, args.clients, args.seconds, plan))
    finally:
        server.stop()
    mismatches = count_mismatches(plan["support_targets"])
    ceiling = rows[0]["rps"] or 1
    for row in rows:
        row["share_of_trivial_view"] = round(row["rps"] / ceiling, 3)
    report = {
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "clients": args.clients,
        "seconds": args.seconds,
        "proposals": args.proposals,
        "supports": args.supports,
        "comments": args.comments,
        "gunicorn_workers": args.workers,
        "seconds_to_seed": plan["seconds_to_seed"],
        "support_count_mismatches": mismatches,
        "results": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"proposals_load_{report['database']}.json").write_text(json.dumps(report, indent=2))
    print(
        f"\n{report['database']}: {args.proposals} proposals, {args.supports} supports, "
        f"{args.comments} comments; "
        f"{args.clients} clients for {args.seconds:.0f} s each; gunicorn {args.workers} workers × 4 threads"
    )
    print(
        f"{'URL':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'÷ trivial':>10}"
    )
    for row in rows:
        print(
            f"{row['label']:32} {row['rps']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} "
            f"{row['errors']:>7} {row['share_of_trivial_view']:>10}"
        )
    print(f"proposals whose support count differs from their supports after the run: {mismatches}")
    for row in rows:
        if row["error_causes"]:
            print(f"errors of {row['label']}: {row['error_causes']}")


if __name__ == "__main__":
    main()
