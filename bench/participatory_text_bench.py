"""Load benchmark of a participatory text, served by gunicorn on loopback.

Seeds a text of 300 articles (15 sections) with 20,000 comments and 5,000 amendments, a
tenth of each on one article, through ``civitas.components.participatory_texts.filling.fill``.
Then concurrent clients drive, one URL after the other for a fixed time: a trivial view
(``/healthz``, the stack's ceiling on this machine), the whole text as a visitor, the
article holding 2,000 comments as a visitor and as a logged-in resident (comment form,
vote buttons), and an article from the middle of the text. Prints requests/s and
p50/p95/p99 per URL beside the trivial view, and writes
``bench/results/participatory_text_bench_<database>.json``.

    .venv/bin/python bench/participatory_text_bench.py [--seconds 10] [--clients 8]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civitas_texts_bench \
        .venv/bin/python bench/participatory_text_bench.py
"""

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from loadkit import Gunicorn, bench_database_name, free_port, postgres_bench_database, print_table, summarize

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "participatory_text_bench"
RESULTS = ROOT / "bench" / "results"
HOST = "localhost"


def setup_environment(database_url: str | None) -> None:
    if database_url and database_url.startswith("postgres"):
        bench_database_name(database_url)  # it is flushed below: only a benchmark's own
        if not postgres_bench_database(database_url):
            raise SystemExit("PostgreSQL does not answer at DATABASE_URL")
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


def seed(articles: int, comments: int, amendments: int, clients: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from civitas.components.manifest import registry
    from civitas.components.participatory_texts.filling import fill
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )
    from civitas.organizations.services import do_create_organization
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    started = time.perf_counter()
    organization, admin = do_create_organization(name="Bench", host=HOST, admin_email="admin@bench.test")
    space = do_create_space(organization=organization, user=admin, kind="process", title="Plan local")
    phase = Phase.objects.create(space=space, title="Concertation", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    manifest = registry.get("participatory_texts")
    component = do_add_component(space=space, user=admin, manifest=manifest, name="Charte")
    do_configure_component(
        component=component,
        user=admin,
        name=component.name,
        settings=manifest.settings.clean({}),
        phase_settings={str(phase.pk): manifest.phase_settings.clean({"comments_enabled": True})},
    )
    do_set_component_published(component=component, user=admin, published=True)
    do_set_published(space=space, user=admin, published=True)
    User = get_user_model()
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                organization=organization,
                email=f"r{i}@bench.test",
                name=f"Habitant {i}",
                nickname=f"r{i}",
                email_confirmed_at=now,
                password="!",
            )
            for i in range(500)
        ],
        batch_size=500,
    )
    people = list(User.objects.filter(organization=organization, is_organization_admin=False).order_by("pk"))
    plan = fill(
        component,
        admin,
        [person.pk for person in people],
        articles=articles,
        comments=comments,
        amendments=amendments,
    )

    def session_of(user) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "civitas.accounts.backends.OrganizationAccountBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    base = component.get_absolute_url()
    busy = f"{base}articles/{plan['busy_article']}/"
    middle = f"{base}articles/{plan['articles'][len(plan['articles']) // 2]}/"
    return {
        "seconds_to_seed": round(time.perf_counter() - started, 1),
        "sessions": [session_of(person) for person in people[:clients]],
        "urls": [
            ("trivial view", "/healthz", False),
            (f"text page ({articles} articles)", base, False),
            (f"article, {comments // 10:,} comments", busy, False),
            ("same, logged-in resident", busy, True),
            ("article in the middle", middle, False),
        ],
    }


def drive(
    port: int, label: str, path: str, clients: int, seconds: float, sessions: list[str], logged_in: bool
):
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Host": f"{HOST}:{port}"}
        if logged_in:
            headers["Cookie"] = f"sessionid={sessions[index % len(sessions)]}"
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if response.status != 200:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarize(label, latencies, errors, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--amendments", type=int, default=5_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL")
    setup_environment(database_url)
    plan = seed(args.articles, args.comments, args.amendments, args.clients)
    port = free_port()
    server = Gunicorn(port, args.workers)
    try:
        for label, path, logged_in in plan["urls"]:  # warm every worker up
            drive(port, label, path, 4, 1.0, plan["sessions"], logged_in)
        rows = [
            drive(port, label, path, args.clients, args.seconds, plan["sessions"], logged_in)
            for label, path, logged_in in plan["urls"]
        ]
    finally:
        server.stop()
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(
        f"\n{database}: {args.articles} articles, {args.comments} comments, {args.amendments} amendments; "
        f"{args.clients} clients for "
        f"{args.seconds:.0f} s per URL; gunicorn {args.workers} workers × 4 threads; seeded in "
        f"{plan['seconds_to_seed']} s"
    )
    print_table(rows, rows[0]["rps"])
    report = {
        "database": database,
        "articles": args.articles,
        "comments": args.comments,
        "amendments": args.amendments,
        "clients": args.clients,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "seconds_to_seed": plan["seconds_to_seed"],
        "results": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"participatory_text_bench_{database}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
