"""The participants list and its CSV export with 1,000 and with 100,000 accounts.

Seeds one organization in SQLite under ``bench/var-people/`` (accounts bulk-inserted, one
in twenty verified, one in two hundred blocked, one in a hundred reported), then asks the
back-office's participants page through Django's test client, in-process, as an
organization admin: the first page, a filtered page (not verified, active in the last 30
days), a search, and the last page; then streams the whole CSV export. Each page is warmed
up, then timed over ``--renders`` requests. The same requests run on the small and on the
large organization in one run; the table shows the medians, the SQL queries per request
(the same at both sizes is the point) and the large/small ratio. The report goes to
``bench/results/participants_bench.json``.
"""

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

import proposals_load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PAGES = {
    "first page": "/admin/people/",
    "not verified, active 30 days": "/admin/people/?verified=no&active=30",
    "search": "/admin/people/?q=person4242",
    "last page": "/admin/people/?page=last",
}


def seed(host: str, count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from civitas.authorizations.models import Authorization
    from civitas.moderation.models import Moderation, UserBlock
    from civitas.organizations.models import Organization

    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        organization = Organization.objects.create(name=host, host=host)
        admin = User.objects.create_user(
            f"admin@{host}", "x", organization=organization, name="Admin", nickname="admin",
            is_organization_admin=True, email_confirmed_at=now,
        )  # fmt: skip
        batch = 5_000
        for start in range(0, count, batch):
            User.objects.bulk_create(
                [
                    User(
                        organization=organization,
                        email=f"person{n}@{host}",
                        name=f"Personne {n}",
                        nickname=f"person{n}",
                        email_confirmed_at=now,
                        date_joined=now - datetime.timedelta(minutes=n),
                        last_login=now - datetime.timedelta(days=n % 90),
                    )
                    for n in range(start, min(start + batch, count))
                ]
            )
        people = list(
            User.objects.filter(organization=organization, is_organization_admin=False).values_list(
                "pk", flat=True
            )
        )
        Authorization.objects.bulk_create(
            [
                Authorization(user_id=pk, organization=organization, handler="census", granted_on=now.date())
                for pk in people[::20]
            ]
        )
        UserBlock.objects.bulk_create(
            [
                UserBlock(user_id=pk, justification="x", previous_name="x", previous_nickname="x")
                for pk in people[::200]
            ]
        )
        account_type = ContentType.objects.get_for_model(User)
        Moderation.objects.bulk_create(
            [
                Moderation(organization=organization, content_type=account_type, object_id=pk, report_count=1)
                for pk in people[::100]
            ]
        )
    return admin


def measure(client, method: str, url: str, renders: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        if method == "GET":
            response = client.get(url)
            return response, len(response.content)
        response = client.post(url, {})
        return response, sum(len(chunk) for chunk in response.streaming_content)

    for _ in range(2):
        assert once()[0].status_code == 200
    timings, queries, size = [], [], 0
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response, size = once()
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200
        queries.append(len(captured))
    return {"median_ms": round(statistics.median(timings) * 1000, 2), "queries": max(queries), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--renders", type=int, default=10)
    args = parser.parse_args()

    proposals_load.VAR = ROOT / "bench" / "var-people"
    proposals_load.setup_environment(None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    sizes = {"small": args.small, "large": args.large}
    clients = {}
    for label, count in sizes.items():
        host = f"{label}.bench.test"
        started = time.perf_counter()
        admin = seed(host, count)
        print(f"seeded {count:,} accounts in {time.perf_counter() - started:.1f} s")
        client = Client(HTTP_HOST=host)
        client.force_login(admin)
        clients[label] = client

    requests = [("GET", name, url) for name, url in PAGES.items()]
    requests.append(("POST", "CSV export (streamed)", "/admin/people/export/"))
    rows = []
    for method, name, url in requests:
        # Small and large side by side, so that a noisy moment hits both.
        small = measure(clients["small"], method, url, args.renders if method == "GET" else 3)
        large = measure(clients["large"], method, url, args.renders if method == "GET" else 3)
        rows.append({"request": name, "small": small, "large": large})

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {"accounts": sizes, "renders": args.renders, "rows": rows}
    (RESULTS / "participants_bench.json").write_text(json.dumps(report, indent=2))
    print(f"\n{'request':32} {'small ms':>9} {'large ms':>9} {'ratio':>6} {'queries':>9}")
    for row in rows:
        small, large = row["small"], row["large"]
        ratio = large["median_ms"] / small["median_ms"] if small["median_ms"] else 0
        print(
            f"{row['request']:32} {small['median_ms']:>9} {large['median_ms']:>9} {ratio:>6.1f} "
            f"{small['queries']:>4}/{large['queries']:<4}"
        )


if __name__ == "__main__":
    main()
