"""A petition with 2,000,000 signatures on PostgreSQL: pages, count, signing, sealed list.

    python bench/petition_bench.py [--signatures 2000000] [--clients 40] [--seconds 20]
                                   [--postgres postgres://postgres@127.0.0.1:5432/civitas_petitions_bench]

Seeds, in a fresh database, one petition holding ``--signatures`` signatures (inserted
server-side with ``generate_series``, the counter shards set to match) beside one with
none, then serves them with gunicorn (2 workers × 4 threads) on loopback and measures,
in one run:

* a trivial view (``/healthz``) under ``--clients`` concurrent clients: the stack's ceiling;
* the petition page and its count (``count.json``) of both petitions, anonymous, under 10
  clients, measured in the order A, B, B, A: p50/p95/p99 side by side, so that the cost
  of 2,000,000 signatures shows as a
  ratio (the target is none: the count reads 16 counter rows);
* signing by ``--clients`` concurrent signers, each a verified account signing once
  (pseudonym, unique index, counter shard, receipt): signatures per second as a share of
  the trivial view (target ≥ 50 %), and the same share computed from the CPU the servers
  (gunicorn workers, PostgreSQL backends) spend per request, which other jobs on the
  machine do not skew;
* building the sealed signature list of the big petition in its own process (time, peak
  RSS beside a process that only loads Django; target < 200 MB), then recounting the file
  with ``python -m civitas.petition_recount`` (time, peak RSS);
* afterwards: rows stored = counter total = seeded + acknowledged signatures.

Writes bench/results/petition_bench.json and prints a table.
"""

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

from loadkit import (
    ServerCpu,
    bench_database_name,
    django_environment,
    free_port,
    fresh_postgres_database,
    run_phase,
)
from proposals_load import drive

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VAR = ROOT / "bench" / "var" / "petitions"
RESULTS = BENCH / "results"
HOST = "localhost"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_petitions_bench"
ACCOUNTS_PER_SIGNER = 120


def _django():
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    import django

    django.setup()
    from petition_identity import register

    register()


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- phases, each in its own process -------------------------------------------------


def phase_seed(signatures: int, clients: int) -> dict:
    _django()
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from national.petition import add_petitions_component, insert_signatures, publish_petition
    from petition_identity import HANDLER

    from civitas.organizations.services import do_create_organization
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    organization, admin = do_create_organization(name="Bench", host=HOST, admin_email="admin@bench.test")
    space = do_create_space(organization=organization, user=admin, kind="process", title="Droit de pétition")
    phase = Phase.objects.create(space=space, title="Pétitions", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    component = add_petitions_component(space=space, phase=phase, admin=admin)
    do_set_published(space=space, user=admin, published=True)
    body = "<p>" + "Nous demandons un référendum local sur le projet de rocade. " * 20 + "</p>"
    big, empty = (
        publish_petition(component=component, admin=admin, title=title, body=body, identity_handler=HANDLER)
        for title in ("Un référendum local sur la rocade", "Des bancs place de la République")
    )

    started = time.perf_counter()
    # Server-side (generate_series), the counter shards set to match: national/petition.py.
    insert_signatures(big, signatures)
    seed_seconds = time.perf_counter() - started

    User = get_user_model()
    count = clients * ACCOUNTS_PER_SIGNER
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(
                    organization=organization,
                    email=f"signer{index}@bench.test",
                    nickname=f"signer{index}",
                    email_confirmed_at=timezone.now(),
                )
                for index in range(count)
            ],
            batch_size=5000,
        )
    signers = list(User.objects.filter(email__startswith="signer").order_by("pk"))
    store = SessionStore()
    expiry = timezone.now() + datetime.timedelta(days=1)
    sessions = []
    rows = []
    for user in signers:
        key = secrets.token_hex(16)  # what Django would draw, without a query per key
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "civitas.accounts.backends.OrganizationAccountBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
        sessions.append(key)
    Session.objects.bulk_create(rows, batch_size=5000)
    return {
        "seconds_to_insert_signatures": round(seed_seconds, 1),
        "big": {"id": big.pk, "url": big.get_absolute_url()},
        "empty": {"id": empty.pk, "url": empty.get_absolute_url()},
        "sessions": sessions,
    }


def phase_idle() -> dict:
    _django()
    from civitas.components.petitions.models import Petition

    Petition.objects.count()
    return {"peak_rss_mb": _peak_mb()}


def phase_seal(petition_id: int, out: str) -> dict:
    _django()
    from django.core.files.storage import default_storage

    from civitas.components.petitions.models import Petition
    from civitas.components.petitions.signature_list import do_seal_list

    petition = Petition.objects.select_related("component__space__organization").get(pk=petition_id)
    started = time.perf_counter()
    sealed = do_seal_list(petition)
    seconds = time.perf_counter() - started
    with default_storage.open(sealed.path, "rb") as source, open(out, "wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mb": _peak_mb(),
        "count": sealed.count,
        "seal": sealed.seal,
        "file_mb": round(os.path.getsize(out) / 1e6, 1),
    }


def phase_check(petition_id: int) -> dict:
    _django()
    from civitas.components.petitions.models import Petition, Signature

    petition = Petition.objects.get(pk=petition_id)
    return {
        "rows": Signature.objects.filter(petition=petition).count(),
        "counters": petition.counts()["total"],
    }


# --- the servers and the drive --------------------------------------------------------


def start_gunicorn(port: int) -> subprocess.Popen:
    import socket

    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "petition_wsgi"),
            *("--pythonpath", f"{BENCH},{ROOT}", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "2", "--threads", "4", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _attempt in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def abba(run, first: tuple[str, str], second: tuple[str, str]) -> list[dict]:
    """Measure two URLs in the order A, B, B, A (half the time each) and merge each one's
    two runs, so that a machine growing busier or calmer does not favour either."""
    runs = {first[0]: [], second[0]: []}
    for label, path in (first, second, second, first):
        runs[label].append(run(label, path))
    merged = []
    for label, (one, two) in runs.items():
        merged.append(
            {
                "label": label,
                "requests": one["requests"] + two["requests"],
                "errors": one["errors"] + two["errors"],
                "rps": round((one["rps"] + two["rps"]) / 2, 1),
                **{key: round((one[key] + two[key]) / 2, 1) for key in ("p50_ms", "p95_ms", "p99_ms")},
                "runs": [one, two],
            }
        )
    return merged


def drive_signing(port: int, plan: dict, clients: int, seconds: float) -> dict:
    """Each client signs with one account after another (each account once)."""
    import http.client
    import threading

    sign_path = f"{plan['big']['url']}sign/"
    latencies, causes, signed = [], {}, [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    token = "b" * 32

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, why, ok = [], {}, 0
        accounts = plan["sessions"][index * ACCOUNTS_PER_SIGNER : (index + 1) * ACCOUNTS_PER_SIGNER]
        for session in accounts:
            if time.perf_counter() >= deadline:
                break
            headers = {
                "Host": f"{HOST}:{port}",
                "Cookie": f"sessionid={session}; csrftoken={token}",
                "X-CSRFToken": token,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{port}/",
            }
            started = time.perf_counter()
            try:
                connection.request("POST", sign_path, body="confirm=1&aggregates=1", headers=headers)
                response = connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException) as error:
                why[type(error).__name__] = why.get(type(error).__name__, 0) + 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - started)
            if response.status == 200 and b"secret" in content:
                ok += 1
            else:
                why[str(response.status)] = why.get(str(response.status), 0) + 1
        else:
            why["ran out of accounts"] = why.get("ran out of accounts", 0) + 1
        with lock:
            latencies.extend(mine)
            signed[0] += ok
            for cause, number in why.items():
                causes[cause] = causes.get(cause, 0) + number

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies.sort()

    def pct(share):
        return round(latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000, 1)

    return {
        "label": f"sign ({clients} signers)",
        "requests": len(latencies),
        "acknowledged": signed[0],
        "errors": sum(causes.values()),
        "error_causes": causes,
        "rps": round(signed[0] / duration, 1),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--petition", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--signatures", type=int, default=2_000_000)
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--postgres", default=DEFAULT_PG)
    args = parser.parse_args()
    if args.phase:
        result = {
            "seed": lambda: phase_seed(args.signatures, args.clients),
            "idle": phase_idle,
            "seal": lambda: phase_seal(args.petition, args.out),
            "check": lambda: phase_check(args.petition),
        }[args.phase]()
        print(json.dumps(result))
        return

    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    RESULTS.mkdir(exist_ok=True)
    fresh_postgres_database(args.postgres)
    os.environ.update(django_environment(args.postgres, VAR))
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["createcachetable"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([*manage, *command], check=True, cwd=ROOT, capture_output=True)

    started = time.perf_counter()
    plan = run_phase(
        __file__,
        "seed",
        args.postgres,
        VAR,
        "--signatures",
        str(args.signatures),
        "--clients",
        str(args.clients),
    )
    report = {
        "signatures_seeded": args.signatures,
        "seconds_to_seed": round(time.perf_counter() - started, 1),
        "seconds_to_insert_signatures": plan["seconds_to_insert_signatures"],
        "clients": args.clients,
    }
    port = free_port()
    server = start_gunicorn(port)
    try:
        big, empty = plan["big"]["url"], plan["empty"]["url"]
        reader_clients = 10
        drive(port, "warm-up", "/healthz", args.clients, 5, plan)
        for path in (big, empty, f"{big}count.json"):
            drive(port, "warm-up", path, 4, 3, plan)
        cpu = ServerCpu(server.pid, bench_database_name(args.postgres))
        before = cpu.snapshot()
        rows = [drive(port, "trivial view", "/healthz", args.clients, args.seconds, plan)]
        rows[0]["server_cpu_ms"] = cpu.per_request(before, rows[0]["requests"])
        for kind, suffix in (("page", ""), ("count.json", "count.json")):
            rows.extend(
                abba(
                    lambda label, path: drive(port, label, path, reader_clients, args.seconds / 2, plan),
                    (f"{kind}, {args.signatures:,} signatures", f"{big}{suffix}"),
                    (f"{kind}, 0 signatures", f"{empty}{suffix}"),
                )
            )
        rows.append(
            drive(
                port,
                f"trivial view ({reader_clients} clients)",
                "/healthz",
                reader_clients,
                args.seconds,
                plan,
            )
        )
        before = cpu.snapshot()
        rows.append(drive_signing(port, plan, args.clients, args.seconds))
        rows[-1]["server_cpu_ms"] = cpu.per_request(before, rows[-1]["requests"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    ceiling = rows[0]["rps"]
    for row in rows:
        row["share_of_trivial_view"] = round(row["rps"] / ceiling, 3) if ceiling else None
    report["requests"] = rows
    # What the share would be on a machine running nothing else: CPU per request, servers only.
    trivial_cpu, signing_cpu = rows[0]["server_cpu_ms"]["total"], rows[-1]["server_cpu_ms"]["total"]
    report["signing_cpu_share_of_trivial_view"] = (
        round(trivial_cpu / signing_cpu, 3) if trivial_cpu and signing_cpu else None
    )
    report["page_p95_ratio_big_to_empty"] = round(rows[1]["p95_ms"] / rows[2]["p95_ms"], 2)
    report["count_p95_ratio_big_to_empty"] = round(rows[3]["p95_ms"] / rows[4]["p95_ms"], 2)

    signed = rows[-1]["acknowledged"]
    check = run_phase(__file__, "check", args.postgres, VAR, "--petition", str(plan["big"]["id"]))
    report["stored"] = {**check, "expected": args.signatures + signed}

    idle = run_phase(__file__, "idle", args.postgres, VAR)
    out = VAR / "signatures.jsonl"
    seal = run_phase(
        __file__, "seal", args.postgres, VAR, "--petition", str(plan["big"]["id"]), "--out", str(out)
    )
    report["seal"] = {**seal, "django_only_peak_rss_mb": idle["peak_rss_mb"]}
    # The recount reports its own peak RSS: it runs in a process of its own.
    measure = (
        "import resource, sys; from civitas.petition_recount import main; status = main(sys.argv[1:]); "
        "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(status)"
    )
    started = time.perf_counter()
    recount = subprocess.run(
        [sys.executable, "-c", measure, str(out), "--count", str(seal["count"]), "--seal", seal["seal"]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = recount.stdout.strip().splitlines()
    peak = [line for line in lines if line.startswith("PEAK_RSS_KB")]
    verdict = [line for line in lines if not line.startswith("PEAK_RSS_KB")]
    report["recount"] = {
        "seconds": round(time.perf_counter() - started, 1),
        "exit_status": recount.returncode,
        "peak_rss_mb": round(int(peak[0].split()[1]) / 1024, 1) if peak else None,
        "last_line": verdict[-1] if verdict else recount.stderr[-300:],
    }
    (RESULTS / "petition_bench.json").write_text(json.dumps(report, indent=2) + "\n")
    _print(report)


def _print(report: dict) -> None:
    print(
        f"seeded {report['signatures_seeded']:,} signatures in {report['seconds_to_insert_signatures']} s "
        f"(whole seeding {report['seconds_to_seed']} s)"
    )
    print(
        f"{'action':38} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'÷ trivial':>9}"
    )
    for row in report["requests"]:
        print(
            f"{row['label']:38} {row['requests']:>8} {row['rps']!s:>7} {row['p50_ms']!s:>8} "
            f"{row['p95_ms']!s:>8} {row['p99_ms']!s:>8} {row['errors']:>6} "
            f"{row['share_of_trivial_view']!s:>9}"
        )
    print(
        f"p95 with / without signatures: page {report['page_p95_ratio_big_to_empty']}, "
        f"count {report['count_p95_ratio_big_to_empty']}"
    )
    trivial, signing = report["requests"][0]["server_cpu_ms"], report["requests"][-1]["server_cpu_ms"]
    print(
        f"server CPU per request (gunicorn + PostgreSQL, ms): trivial view {trivial['gunicorn']} + "
        f"{trivial['postgresql']}, signing {signing['gunicorn']} + {signing['postgresql']}; "
        f"signing as a share of the trivial view by CPU: {report['signing_cpu_share_of_trivial_view']}"
    )
    stored = report["stored"]
    print(f"stored rows {stored['rows']:,}, counters {stored['counters']:,}, expected {stored['expected']:,}")
    seal = report["seal"]
    print(
        f"sealed list: {seal['count']:,} signatures in {seal['seconds']} s, "
        f"peak RSS {seal['peak_rss_mb']} MB "
        f"(Django alone {seal['django_only_peak_rss_mb']} MB), file {seal['file_mb']} MB"
    )
    recount = report["recount"]
    print(
        f"recount: {recount['seconds']} s, peak RSS {recount['peak_rss_mb']} MB, "
        f"exit {recount['exit_status']}: "
        f"{recount['last_line']}"
    )


if __name__ == "__main__":
    main()
