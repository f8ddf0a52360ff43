"""A newsletter to 100,000 consenting participants: queueing time, memory, sending pace.

For each database (a fresh SQLite file in bench/var/newsletter, and PostgreSQL when
``--postgres URL`` names a server, e.g. postgres://postgres@127.0.0.1:5432, where the
database ``civitas_newsletter_bench`` is created afresh), in a child process:

- seeds 10,000, then 50,000, then 100,000 consenting accounts (bulk inserts);
- at each size, queues a newsletter to all of them with the real code
  (``services.queue_deliveries``: keyset chunks, one delivery row each), measuring the
  wall time and, in a second newsletter, the peak of Python allocations (tracemalloc)
  and the resident set's growth, so that the three sizes show memory flat;
- sends 2,000 messages through Django's in-memory mail backend without a rate limit
  (the code's own ceiling), then five batches of 100 with ``NEWSLETTER_MAX_PER_MINUTE=1200``
  pausing as the queue would between them, and reports the rate observed against the limit.

    python bench/newsletter_bench.py [--postgres postgres://postgres@127.0.0.1:5432]

Writes bench/results/newsletter_bench.json.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "newsletter"
RESULTS = ROOT / "bench" / "results"
SIZES = (10_000, 50_000, 100_000)
PG_DATABASE = "civitas_newsletter_bench"
LIMIT_PER_MINUTE = 1200


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _seed(organization, start: int, stop: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from civitas.newsletters.models import NewsletterConsent

    user_model = get_user_model()
    now = timezone.now()
    for first in range(start, stop, 5000):
        last = min(first + 5000, stop)
        # Unusable passwords: hashing real ones would be most of the seeding time.
        users = user_model.objects.bulk_create(
            [
                user_model(
                    organization=organization,
                    email=f"resident{n}@example.org",
                    name=f"Habitant {n}",
                    nickname=f"resident{n}",
                    password="!",
                    email_confirmed_at=now,
                    locale="fr" if n % 4 else "en",
                )
                for n in range(first, last)
            ]
        )
        if users[0].pk is None:  # SQLite before RETURNING support: read the ids back
            users = list(
                user_model.objects.filter(organization=organization, nickname__in=[u.nickname for u in users])
            )
        NewsletterConsent.objects.bulk_create(
            [NewsletterConsent(user=user, consented_at=now, consent_source="signup") for user in users]
        )


def _newsletter(organization, admin, subject: str):
    from civitas.newsletters.models import Newsletter

    return Newsletter.objects.create(
        organization=organization,
        author=admin,
        subject=subject,
        body='<p>Le budget participatif 2027 est ouvert : <a href="/spaces/budget/">votez</a> avant le 12 mars.</p>',  # noqa: E501
        audience="all",
        status=Newsletter.Status.QUEUED,
    )


def run() -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection

    from civitas.newsletters import services
    from civitas.newsletters.models import Delivery
    from civitas.organizations.models import Organization
    from civitas.testing.factories import UserFactory

    call_command("migrate", "--noinput", verbosity=0)
    organization = Organization.objects.create(name="Métropole", host="newsletter-bench.test")
    admin = UserFactory(organization=organization, is_organization_admin=True, email="admin@example.org")

    sizes, seeded = [], 0
    for size in SIZES:
        began = time.perf_counter()
        _seed(organization, seeded, size)
        seed_seconds = time.perf_counter() - began
        seeded = size

        timed = _newsletter(organization, admin, f"Lettre {size} (temps)")
        began = time.perf_counter()
        queued = services.queue_deliveries(timed.pk)
        queue_seconds = time.perf_counter() - began

        measured = _newsletter(organization, admin, f"Lettre {size} (mémoire)")
        rss_before = _rss_mb()
        tracemalloc.start()
        services.queue_deliveries(measured.pk)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sizes.append(
            {
                "recipients": size,
                "queued": queued,
                "seed_seconds": round(seed_seconds, 1),
                "queue_seconds": round(queue_seconds, 2),
                "queued_per_second": round(queued / queue_seconds),
                "peak_python_mb": round(peak / 1e6, 2),
                "rss_growth_mb": round(_rss_mb() - rss_before, 1),
            }
        )

    # Sending, without a limit: what the code itself manages through the in-memory backend.
    settings.NEWSLETTER_MAX_PER_MINUTE = 10**9
    settings.NEWSLETTER_BATCH_SIZE = 200
    sent = 0
    began = time.perf_counter()
    while sent < 2000:
        result = services.send_next_batch(timed.pk)
        sent += result.sent
        mail.outbox.clear()
    unlimited_seconds = time.perf_counter() - began

    # Sending at NEWSLETTER_MAX_PER_MINUTE, pausing between batches as the queue does. The
    # rate is read between the starts of the first and the last batch: what the pauses allow.
    settings.NEWSLETTER_MAX_PER_MINUTE = LIMIT_PER_MINUTE
    settings.NEWSLETTER_BATCH_SIZE = 100
    starts, paced = [], 0
    while len(starts) < 5:
        starts.append(time.perf_counter())
        result = services.send_next_batch(timed.pk)
        paced += result.sent
        mail.outbox.clear()
        if len(starts) < 5:
            time.sleep(result.wait_seconds)
    paced_rate = (paced - result.sent) * 60 / (starts[-1] - starts[0])
    return {
        "database": connection.vendor,
        "sizes": sizes,
        "deliveries_rows": Delivery.objects.count(),
        "unlimited_sent": sent,
        "unlimited_seconds": round(unlimited_seconds, 2),
        "unlimited_per_minute": round(sent * 60 / unlimited_seconds),
        "limit_per_minute": LIMIT_PER_MINUTE,
        "paced_sent": paced,
        "paced_batches": len(starts),
        "paced_seconds": round(starts[-1] - starts[0], 2),
        "paced_per_minute": round(paced_rate),
    }


def _postgres_url(server: str) -> str:
    """A fresh benchmark database, through the guard that refuses any other database."""
    from loadkit import fresh_postgres_database

    url = f"{server.rstrip('/')}/{PG_DATABASE}"
    fresh_postgres_database(url)
    return url


def _child(database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civitas.settings",
        "CIVITAS_VAR_DIR": str(VAR),
        "CIVITAS_MEDIA_ROOT": str(VAR / "media"),
        "DATABASE_URL": database_url,
        "CIVITAS_HUEY_IMMEDIATE": "true",
        "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("REDIS_URL", None)
    output = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run()))
        return 0
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    results = [_child(f"sqlite:///{VAR / 'newsletter.sqlite3'}")]
    if args.postgres:
        results.append(_child(_postgres_url(args.postgres)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "newsletter_bench.json").write_text(json.dumps(results, indent=2))

    print(f"{'database':<12}{'recipients':>11}{'queue s':>9}{'rows/s':>9}{'peak MB':>9}{'RSS +MB':>9}")
    for result in results:
        for size in result["sizes"]:
            print(
                f"{result['database']:<12}{size['recipients']:>11,}{size['queue_seconds']:>9}"
                f"{size['queued_per_second']:>9,}{size['peak_python_mb']:>9}{size['rss_growth_mb']:>9}"
            )
    print()
    print(f"{'database':<12}{'unlimited /min':>15}{'limit /min':>12}{'paced /min':>12}{'paced sent':>12}")
    for result in results:
        print(
            f"{result['database']:<12}{result['unlimited_per_minute']:>15,}{result['limit_per_minute']:>12,}"
            f"{result['paced_per_minute']:>12,}{result['paced_sent']:>12}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
