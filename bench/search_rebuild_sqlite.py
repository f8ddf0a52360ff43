"""A full search rebuild on SQLite, the embedded default, beside a writer waiting for it.

SQLite has one writer for the whole database file: while a transaction writes, every vote,
comment or log-in of the site waits (up to the 20 s busy timeout, then fails with "database
is locked"). The nightly rebuild (3:40) builds the new entries into a TEMP table outside the
file's locks and only exchanges them in one write transaction
(``civitas.search.indexing._rebuild_staged``). This measures it on the seeded demo plus
``--accounts`` accounts and ``--comments`` comments (bulk inserts) in a fresh SQLite database
in bench/var/search_rebuild_sqlite/: the rebuild's wall time, the exchange's (the write lock
held), and the longest wait of another connection that asks for the write lock every 0.2 s
throughout (``BEGIN IMMEDIATE``, as the site's transactions do).

    python bench/search_rebuild_sqlite.py [--accounts 20000] [--comments 50000]

Writes bench/results/search_rebuild_sqlite.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "search_rebuild_sqlite"
RESULTS = ROOT / "bench" / "results"
WORDS = [
    *("transport", "vélo", "parc", "école", "bus", "jardin", "rue", "quartier", "marché", "piste"),
    *("cyclable", "arbre", "banc", "fontaine", "éclairage", "trottoir", "place", "bibliothèque"),
    *("piscine", "crèche", "logement", "propreté", "sécurité"),
]


def prepare(accounts: int, comments: int) -> None:
    """A fresh database: migrations, the demo, then bulk rows (no signals, no indexing)."""
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    env = {**os.environ, "CIVITAS_VAR_DIR": str(VAR), "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}"}
    env["CIVITAS_HUEY_IMMEDIATE"] = "true"
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
    os.environ.update({key: env[key] for key in ("CIVITAS_VAR_DIR", "DATABASE_URL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from civitas.comments.models import Comment
    from civitas.components.proposals.models import Proposal

    proposal = Proposal.objects.filter(published_at__isnull=False).order_by("pk").first()
    organization = proposal.component.space.organization
    account = get_user_model()
    people = account.objects.bulk_create(
        [
            account(organization=organization, email=f"r{n}@example.org", nickname=f"r{n}", name=f"R {n}")
            for n in range(accounts)
        ],
        batch_size=2000,
    )
    kind = ContentType.objects.get_for_model(Proposal)
    rng = random.Random(2019)
    Comment.objects.bulk_create(
        (
            Comment(
                organization=organization,
                component=proposal.component,
                content_type=kind,
                object_id=proposal.pk,
                author=rng.choice(people),
                body=" ".join(rng.choice(WORDS) for _ in range(30)),
            )
            for _ in range(comments)
        ),
        batch_size=2000,
    )


def measure() -> dict:
    from django.db import connection

    from civitas.search import indexing

    exchange = indexing._exchange_stage
    held = {}

    def timed_exchange(*args, **kwargs):
        started = time.perf_counter()
        try:
            return exchange(*args, **kwargs)
        finally:
            held["seconds"] = time.perf_counter() - started

    indexing._exchange_stage = timed_exchange
    path = connection.settings_dict["NAME"]
    waits: list[float] = []
    done = threading.Event()

    def writer() -> None:
        while not done.is_set():
            other = sqlite3.connect(path, timeout=60)
            started = time.perf_counter()
            other.execute("BEGIN IMMEDIATE")
            waits.append(time.perf_counter() - started)
            other.execute("ROLLBACK")
            other.close()
            time.sleep(0.2)

    thread = threading.Thread(target=writer)
    thread.start()
    started = time.perf_counter()
    entries = indexing.rebuild()
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    return {
        "entries": entries,
        "rebuild_seconds": round(seconds, 2),
        "write_lock_held_seconds": round(held.get("seconds", seconds), 2),
        "longest_wait_of_another_writer_seconds": round(max(waits), 2),
        "writer_attempts": len(waits),
        "busy_timeout_seconds": 20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--comments", type=int, default=50_000)
    args = parser.parse_args()
    prepare(args.accounts, args.comments)
    result = {"accounts": args.accounts, "comments": args.comments, "load": os.getloadavg()[0], **measure()}
    print(
        f"{result['entries']:,} entries: rebuild {result['rebuild_seconds']} s, write lock held "
        f"{result['write_lock_held_seconds']} s; another writer waited at most "
        f"{result['longest_wait_of_another_writer_seconds']} s over {result['writer_attempts']} attempts "
        f"(busy timeout {result['busy_timeout_seconds']} s)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search_rebuild_sqlite.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
