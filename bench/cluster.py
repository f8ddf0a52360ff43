"""Several machines: three web servers and two task consumers behind HAProxy, sharing one
PostgreSQL and one Redis. Does everything that must be shared really is?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civitas_cluster_bench \\
        REDIS_URL=redis://127.0.0.1:6379/5 python bench/cluster.py [--voters 1500]

Each server and consumer is started as a separate machine would be: its own
``CIVITAS_VAR_DIR``; what machines share is what production shares (the database,
Redis, ``SECRET_KEY`` and ``CIVITAS_BALLOT_KEY`` from the environment, the uploads and
spam models on shared storage, the mail relay). HAProxy (Debian's package; installed
with ``apt-get install -y haproxy`` when missing and run as root) balances round robin
over the three gunicorn servers (2 workers × 4 threads each) with HTTP health checks on
``/healthz``, and names the server that answered in ``X-Served-By``.

1. The page mix of ``bench/surge.py`` through the balancer, then the same mix straight
   to one server, each beside a trivial view (``/healthz``) measured the same way.
2. Shared state, checked server by server: a session opened on one server works on the
   two others (and a log-out on one ends it everywhere); a log-in rate limit reached on
   one server holds on the others; an admin's change made through one server is seen at
   once through the others although they had the page cached.
3. Periodic tasks: every civitas periodic task, checked minute by minute over two
   simulated days by two consumers' schedulers, is enqueued once per period.
4. The vote surge of ``bench/surge.py`` through the balancer while one web server is
   killed (SIGKILL, master and workers) and brought back, one consumer is killed
   (SIGKILL) while it holds tasks it has not finished (a few broadcast notifications are
   queued to keep it busy), the other consumer must take them back before the killed one
   is replaced, and every database connection is dropped. Then the checks of surge.py:
   one ballot per voter and vote, every acknowledged vote stored, tallies and seals; and
   every queued task run once (one notification per acknowledged mention and per
   broadcast recipient, no e-mail sent twice, nothing left queued or in flight).

Requests are counted per server from HAProxy's statistics: every phase must reach the
three servers. Any failed check makes the exit code 1. Writes bench/results/cluster.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import http.client
import io
import json
import logging
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

import surge  # noqa: E402
from loadkit import CSRF_TOKEN, ROOT, Gunicorn, HueyConsumer, free_port  # noqa: E402

VAR = ROOT / "bench" / "var-cluster"
RESULTS = ROOT / "bench" / "results"
HOST = surge.HOST
SERVERS = ("web1", "web2", "web3")
PASSWORD = "un mot de passe assez long"


# --- the machines -----------------------------------------------------------------------


def ensure_haproxy() -> str:
    found = shutil.which("haproxy")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(
            "HAProxy is not installed and this process cannot install it (needs root and apt-get): "
            "run `apt-get install -y haproxy` (Debian's package), then this command again."
        )
    print("installing HAProxy: apt-get install -y haproxy", flush=True)
    subprocess.run(["apt-get", "install", "-y", "haproxy"], check=False, stdout=subprocess.DEVNULL)
    found = shutil.which("haproxy")
    if not found:
        raise SystemExit("`apt-get install -y haproxy` did not install HAProxy: see apt's messages above.")
    return found


def machine_environment(name: str) -> dict:
    """One machine's environment: its own var/ folder; the rest shared as in production."""
    home = VAR / name
    home.mkdir(parents=True, exist_ok=True)
    static = home / "static"
    if not static.exists():
        static.symlink_to(VAR / "static")  # what collectstatic wrote, as a deployment would copy it
    return {**os.environ, "CIVITAS_VAR_DIR": str(home)}


HAPROXY_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 90s
    timeout server 90s
    timeout queue 30s
    timeout http-keep-alive 10s
    # A request whose connection to a server failed goes to another server (the request
    # was never sent, so this is safe for a POST too).
    retries 3
    option redispatch
    option forwardfor

frontend civitas
    bind 127.0.0.1:{port}
    default_backend web

backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz
    http-check expect status 200
    # A server failing three checks two seconds apart is out (one that is down refuses the
    # connection at once); two good checks bring it back. On a loaded machine a check may
    # wait behind slow pages for a few seconds: that is not a dead server.
    # At most one request per gunicorn thread: the others wait here, not in its backlog.
    timeout check 10s
    default-server inter 2s fall 3 rise 2 maxconn {maxconn}
    http-response set-header X-Served-By %s
{servers}

listen stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /
"""


class Balancer:
    def __init__(self, binary: str, servers: dict[str, int], maxconn: int):
        self.port, self.stats_port = free_port(), free_port()
        self.config = VAR / "haproxy.cfg"
        lines = "\n".join(f"    server {name} 127.0.0.1:{port} check" for name, port in servers.items())
        self.config.write_text(
            HAPROXY_CONFIG.format(port=self.port, stats_port=self.stats_port, maxconn=maxconn, servers=lines)
        )
        subprocess.run([binary, "-c", "-q", "-f", str(self.config)], check=True)
        self.log = (VAR / "haproxy.log").open("w")
        # -db: stay in the foreground, a child this script can stop.
        self.process = subprocess.Popen(
            [binary, "-db", "-f", str(self.config)], stdout=self.log, stderr=subprocess.STDOUT
        )
        self.wait_until(lambda states: all(state == "UP" for state in states.values()), 30)

    def stats(self) -> dict[str, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.stats_port, timeout=5)
        connection.request("GET", "/;csv")
        text = connection.getresponse().read().decode()
        connection.close()
        rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
        return {row["svname"]: row for row in rows if row["pxname"] == "web" and row["svname"] in SERVERS}

    def states(self) -> dict[str, str]:
        return {name: row["status"].split()[0] for name, row in self.stats().items()}

    def responses(self) -> dict[str, int]:
        """Responses each server has given through the balancer so far."""
        columns = ("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other")
        return {name: sum(int(row[c] or 0) for c in columns) for name, row in self.stats().items()}

    def wait_until(self, condition, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if condition(self.states()):
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def spread(before: dict[str, int], after: dict[str, int]) -> dict:
    counts = {name: after[name] - before.get(name, 0) for name in SERVERS}
    return {"responses by server": counts, "ok": all(count > 0 for count in counts.values())}


def kill_server(server: Gunicorn) -> list[int]:
    """SIGKILL a whole server, master and workers, as a machine lost would."""
    pids = [*server.worker_pids(), server.process.pid]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.process.wait()
    return pids


# --- one request, with its headers --------------------------------------------------------


class Visitor:
    """Cookies kept across servers, as one browser talking to a site behind a balancer.

    ``address`` is the visitor's own address, which the balancer would forward: the
    servers trust the last ``X-Forwarded-For`` entry (``CIVITAS_BEHIND_PROXY``).
    """

    def __init__(self, address: str):
        self.address = address
        self.cookies = {"csrftoken": CSRF_TOKEN}

    def request(self, port: int, method: str, path: str, data: dict | None = None):
        headers = {
            "Host": f"{HOST}:{port}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-Forwarded-For": self.address,
        }
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or {}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    # The cookie's current secret: logging in renews it.
                    "X-CSRFToken": self.cookies.get("csrftoken", CSRF_TOKEN),
                    "Referer": f"http://{HOST}:{port}{path}",
                }
            )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _sep, value = cookie.split(";", 1)[0].partition("=")
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        # HAProxy 2 writes header names in lower case.
        return response.status, {name.lower(): value for name, value in response.getheaders()}, content


def test_address() -> str:
    """An address of TEST-NET-2 for this run, so that counters of earlier runs do not count."""
    return f"198.51.100.{random.randrange(1, 255)}"


# --- checks of shared state ---------------------------------------------------------------


def check_sessions(ports: dict[str, int], balancer_port: int, email: str) -> dict:
    """Log in on web1; the session works on web2 and web3 and through the balancer on all
    three; logged out on web2, the same session key is refused on web3."""
    visitor = Visitor(test_address())
    status, _headers, _body = visitor.request(
        ports["web1"], "POST", "/accounts/login/", {"username": email, "password": PASSWORD}
    )
    session = visitor.cookies.get("sessionid", "")
    logged_in_on_web1 = status == 302 and bool(session)
    on_each = {name: visitor.request(ports[name], "GET", "/accounts/settings/")[0] for name in SERVERS}
    through_balancer: dict[str, list[int]] = {}
    for _ in range(9):
        status, headers, _body = visitor.request(balancer_port, "GET", "/accounts/settings/")
        through_balancer.setdefault(headers.get("x-served-by", "?"), []).append(status)
    logout = visitor.request(ports["web2"], "POST", "/accounts/logout/")[0]
    replay = Visitor(visitor.address)
    replay.cookies["sessionid"] = session  # the old key, as a copied cookie would bring it
    status_web3, headers_web3, _body = replay.request(ports["web3"], "GET", "/accounts/settings/")
    return {
        "logged in through web1": logged_in_on_web1,
        "account page on each server (200 = logged in)": on_each,
        "account page through the balancer, by server": through_balancer,
        "log-out on web2": logout,
        "old session key on web3 after it": status_web3,
        "ok": logged_in_on_web1
        and all(status == 200 for status in on_each.values())
        and set(through_balancer) == set(SERVERS)
        and all(status == 200 for statuses in through_balancer.values() for status in statuses)
        and logout == 302
        and status_web3 == 302
        and "login" in headers_web3.get("location", ""),
    }


def check_rate_limits(ports: dict[str, int]) -> dict:
    """Five wrong passwords for one account from one address: the sixth try is refused
    with 429 on every server, however the five were spread."""
    results = {}
    for label, order in (
        ("five failures on web1", ["web1"] * 5),
        ("five failures spread over web1, web2, web3", ["web1", "web2", "web3", "web1", "web2"]),
    ):
        visitor = Visitor(test_address())
        account = f"absent-{uuid.uuid4().hex[:8]}@bench.test"
        attempt = {"username": account, "password": "pas le bon mot de passe"}
        statuses = [visitor.request(ports[name], "POST", "/accounts/login/", attempt)[0] for name in order]
        after = {
            name: visitor.request(ports[name], "POST", "/accounts/login/", attempt)[0] for name in SERVERS
        }
        results[label] = {"failures answered": statuses, "next try on each server": after}
        results[label]["ok"] = all(status == 200 for status in statuses) and all(
            status == 429 for status in after.values()
        )
    return {**results, "ok": all(result["ok"] for result in results.values())}


def check_cache_invalidation(ports: dict[str, int], plan: dict, admin_session: str, space_id: int) -> dict:
    """web2 and web3 hold the anonymous proposal list in their page cache; the admin takes
    the space back to draft through web1: both must stop showing it at once, and show it
    again at once when the admin republishes it."""
    page = plan["proposals_url"]
    admin = Visitor(test_address())
    admin.cookies["sessionid"] = admin_session

    def anonymous_views() -> dict[str, int]:
        return {
            name: Visitor(test_address()).request(ports[name], "GET", page)[0] for name in ("web2", "web3")
        }

    cached = anonymous_views()
    cached_again = anonymous_views()  # now served from the cache
    unpublish = admin.request(ports["web1"], "POST", f"/admin/spaces/{space_id}/publish/", {"publish": "0"})[
        0
    ]
    after_unpublish = anonymous_views()
    publish = admin.request(ports["web1"], "POST", f"/admin/spaces/{space_id}/publish/", {"publish": "1"})[0]
    after_publish = anonymous_views()
    return {
        "anonymous list before (twice, cached)": [cached, cached_again],
        "unpublished through web1": unpublish,
        "anonymous list right after, web2 and web3": after_unpublish,
        "republished through web1": publish,
        "anonymous list right after republishing": after_publish,
        "ok": all(
            status == 200 for status in [*cached.values(), *cached_again.values(), *after_publish.values()]
        )
        and unpublish == 302
        and publish == 302
        and all(status == 404 for status in after_unpublish.values()),
    }


def check_periodic_tasks(redis_url: str) -> dict:
    """Two consumers' schedulers over two simulated days (a Monday and a Tuesday), checking
    every minute at their own seconds, on a queue of their own: each periodic task of
    civitas is enqueued exactly as many times as its schedule has periods."""
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from civitas.core.taskqueue import OncePerPeriodScheduler, ReliableRedisHuey

    autodiscover_modules("tasks")  # as run_huey does: every app's periodic tasks registered

    logging.getLogger("civitas.core.taskqueue").setLevel(logging.WARNING)  # 2 days of "enqueueing"
    name = f"cluster_periodic_{uuid.uuid4().hex[:8]}"
    consumers = [ReliableRedisHuey(name, url=redis_url, results=False) for _ in range(2)]
    for consumer in consumers:
        consumer._registry = HUEY._registry  # the periodic tasks civitas registers
    schedulers = [OncePerPeriodScheduler(consumer, threading.Event(), 1, True) for consumer in consumers]
    start = datetime.datetime(2026, 12, 7)  # a Monday
    expected: dict[str, int] = {}
    for minute in range(2 * 24 * 60):
        moment = start + datetime.timedelta(minutes=minute)
        for task in consumers[0].read_periodic(moment):
            expected[task.name] = expected.get(task.name, 0) + 1
        schedulers[0].enqueue_periodic_tasks(moment.replace(second=7))
        schedulers[1].enqueue_periodic_tasks(moment.replace(second=41))
    enqueued: dict[str, int] = {}
    for task in consumers[0].pending():
        enqueued[task.name] = enqueued.get(task.name, 0) + 1
    storage = consumers[0].storage
    for key in storage.conn.scan_iter(match=f"huey.*{name}*"):
        storage.conn.delete(key)
    short = {task.rsplit(".", 1)[-1]: count for task, count in sorted(enqueued.items())}
    return {
        "periodic tasks": len(expected),
        "runs enqueued over two days by two consumers": short,
        "ok": bool(expected) and enqueued == expected,
    }


# --- the surge and its faults ---------------------------------------------------------------


class ClusterFaults(threading.Thread):
    def __init__(self, servers: dict[str, Gunicorn], consumers: list[HueyConsumer], balancer, progress):
        super().__init__(daemon=True)
        self.servers, self.consumers, self.balancer, self.progress = servers, consumers, balancer, progress
        self.events: list[str] = []
        self.stranded = 0
        self.probe_events: list[str] = []
        self.killed_prefix = "-"
        self.recipients: list[int] = []
        self.started = time.perf_counter()

    def log(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        self.events.append(f"t+{elapsed:5.1f} s ({self.progress():4.0%} of voters done)  {text}")

    def wait_for(self, share: float) -> None:
        while self.progress() < share:
            time.sleep(0.05)

    def run(self) -> None:
        self.wait_for(0.20)
        pids = kill_server(self.servers["web2"])
        self.log(f"SIGKILL web server web2 (master and workers: {pids})")
        out = self.balancer.wait_until(lambda states: states["web2"] != "UP", 10)
        self.log(f"balancer marks web2 {'down' if out else 'STILL UP'}")
        self.wait_for(0.35)
        self.log(self.kill_busy_consumer(self.consumers[0]))
        self.wait_for(0.50)
        self.log(drop_database_connections())
        self.wait_for(0.60)
        port = self.servers["web2"].port
        self.servers["web2"] = Gunicorn(port, env=machine_environment("web2"))
        back = self.balancer.wait_until(lambda states: states["web2"] == "UP", 60)
        self.log(f"web2 restarted; balancer marks it {'up' if back else 'STILL DOWN'}")
        self.wait_for(0.80)
        self.log(f"the killed consumer's in-flight list holds {self.still_held()} task(s) (taken back)")
        self.consumers[0].start()
        self.log(f"consumer replaced (pid {self.consumers[0].process.pid})")

    def kill_busy_consumer(self, consumer: HueyConsumer) -> str:
        """Queue a few broadcasts (seconds of work each), wait until the consumer holds one
        it has not finished, and SIGKILL it. With huey's plain RedisHuey that task is gone."""
        from huey.contrib.djhuey import HUEY

        self.probe_events = queue_probe_events(self.recipients)
        pid = consumer.process.pid
        storage = HUEY.storage
        prefix = f"{storage.in_flight_prefix}{socket.gethostname()}-{pid}-"
        held: list[bytes] = []
        deadline = time.monotonic() + 60
        while not held and time.monotonic() < deadline:
            time.sleep(0.05)
            keys = storage.conn.scan_iter(match=f"{prefix}*")
            held = [data for key in keys for data in storage.conn.lrange(key, 0, -1)]
        consumer.kill()
        self.killed_prefix = prefix
        names = [HUEY.deserialize_task(data).name.rsplit(".", 1)[-1] for data in held]
        self.stranded = len(held)
        return f"SIGKILL consumer {pid} while it held {len(held)} unfinished task(s): {names}"

    def still_held(self) -> int:
        from huey.contrib.djhuey import HUEY

        conn = HUEY.storage.conn
        return sum(conn.llen(key) for key in conn.scan_iter(match=f"{self.killed_prefix}*"))


PROBES = 4


def queue_probe_events(recipients: list[int]) -> list[str]:
    """Broadcast notifications, as an admin's announcement to followers makes: delivery is
    idempotent (one notification per person and event), and each takes seconds."""
    from civitas.notifications.tasks import deliver_notifications

    events = []
    for index in range(PROBES):
        event_id = str(uuid.uuid4())
        deliver_notifications(
            event_id=event_id,
            kind="cluster_probe",
            params={"target": f"Annonce {index}"},
            url="/",
            user_ids=recipients,
            follow_target=None,
        )
        events.append(event_id)
    return events


def check_probe_events(events: list[str], recipients: list[int]) -> dict:
    from django.db.models import Count

    from civitas.notifications.models import Notification

    counts = dict(
        Notification.objects.filter(event_id__in=events).values_list("event_id").annotate(n=Count("pk"))
    )
    delivered = [counts.get(uuid.UUID(event), 0) for event in events]
    return {
        "broadcasts": len(events),
        "recipients each": len(recipients),
        "notifications per broadcast": delivered,
    }


def drop_database_connections() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        dropped = cursor.fetchone()[0]
    return f"dropped {dropped} database connections (pg_terminate_backend)"


def wait_for_tasks(timeout: float = 900) -> dict:
    """Until nothing is queued, in flight or scheduled (the dead consumer's tasks included)."""
    from huey.contrib.djhuey import HUEY

    deadline = time.monotonic() + timeout
    while True:
        left = {
            "queued": HUEY.pending_count(),
            "in flight": HUEY.storage.in_flight_count(),
            "scheduled": HUEY.scheduled_count(),
        }
        if not any(left.values()) or time.monotonic() > deadline:
            return left
        time.sleep(1)


# --- seeding what the checks need ------------------------------------------------------------


def prepare_accounts(plan: dict, session_voter: int) -> tuple[str, str, int]:
    """A password for one voter (the session check logs in), an admin session, the space."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from civitas.spaces.models import Space

    User = get_user_model()
    voter = User.objects.get(pk=session_voter)
    voter.set_password(PASSWORD)
    voter.save(update_fields=["password"])
    admin = User.objects.get(organization=voter.organization, is_organization_admin=True)
    store = SessionStore()
    store.update(
        {
            "_auth_user_id": str(admin.pk),
            "_auth_user_backend": "civitas.accounts.backends.OrganizationAccountBackend",
            "_auth_user_hash": admin.get_session_auth_hash(),
        }
    )
    store.create()
    space = Space.objects.get(slug=plan["space_url"].strip("/").rsplit("/", 1)[-1])
    return voter.email, store.session_key, space.pk


def one_ballot_per_voter(outcome: dict, stored_key: str, voters: int) -> dict:
    """surge.py's check of one vote, judged on what matters here: every voter's vote was
    acknowledged (none gave up), none is stored twice or lost, and the tally at closing
    counts exactly the stored ones under a verified seal. surge.py's own verdict is kept
    beside it (it also compares counts that depend on how each vote stores its records)."""
    outcome = {**outcome, "surge.py's own verdict": outcome["ok"]}
    outcome["ok"] = (
        outcome["acknowledged"] == voters
        and outcome["duplicated (voters with more than one)"] == 0
        and outcome["lost (acknowledged but not stored)"] == 0
        and outcome["tally at closing"] == outcome[stored_key]
        and outcome["seal verified"]
    )
    return outcome


# --- report ----------------------------------------------------------------------------------


def print_table(balanced: list[dict], direct: list[dict]) -> None:
    by_label = {row["label"]: row for row in direct}
    trivial_balanced, trivial_direct = balanced[0]["rps"], direct[0]["rps"]
    print(
        f"{'action':36} {'LB req/s':>8} {'LB p95':>7} {'÷triv':>6} {'direct req/s':>12} "
        f"{'direct p95':>10} {'÷triv':>6} {'errors':>6}"
    )
    for row in balanced:
        other = by_label.get(row["label"], {})
        share = round(row["rps"] / trivial_balanced, 3) if trivial_balanced and row["rps"] else "-"
        other_share = round(other["rps"] / trivial_direct, 3) if trivial_direct and other.get("rps") else "-"
        print(
            f"{row['label']:36} {row['rps']!s:>8} {row['p95_ms']!s:>7} {share!s:>6} "
            f"{other.get('rps', '-')!s:>12} {other.get('p95_ms', '-')!s:>10} {other_share!s:>6} "
            f"{row['errors'] + other.get('errors', 0):>6}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent visitors in the mix")
    parser.add_argument("--surge-clients", type=int, default=36, help="concurrent voters in the surge")
    parser.add_argument("--mix-seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civitas_cluster_bench")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        raise SystemExit("several machines share a PostgreSQL server: DATABASE_URL must be postgres://…")
    haproxy = ensure_haproxy()
    os.environ.update(
        {
            # What every machine must share, given by the environment, not by a local file.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CIVITAS_BALLOT_KEY": secrets.token_urlsafe(48),
            "CIVITAS_MEDIA_ROOT": str(VAR / "shared-storage" / "media"),
            "CIVITAS_SPAM_MODEL_DIR": str(VAR / "shared-storage" / "spam"),
            "CIVITAS_BEHIND_PROXY": "true",
            # A consumer silent for 5 s is dead (30 s in production): the run waits less.
            "CIVITAS_HUEY_LEASE_SECONDS": "5",
        }
    )
    surge.VAR = VAR  # surge.py's setup and checks then use this run's folder
    surge.setup_environment()
    plan = surge.seed(args.voters, args.proposals)
    voters = plan["voters"]
    mix_balanced, mix_direct = voters[-args.clients :], voters[-2 * args.clients : -args.clients]
    session_voter = voters[-2 * args.clients - 1][0]
    surge_plan = {**plan, "voters": voters[: -2 * args.clients - 1]}
    email, admin_session, space_id = prepare_accounts(plan, session_voter)

    ports = {name: free_port() for name in SERVERS}
    servers = {
        name: Gunicorn(port, workers=args.workers, env=machine_environment(name))
        for name, port in ports.items()
    }
    consumers = [HueyConsumer(env=machine_environment(f"consumer{index}")) for index in (1, 2)]
    balancer = Balancer(haproxy, ports, maxconn=args.workers * 4)
    lb = balancer.port
    report: dict = {
        "database": "postgresql",
        "queue": "redis",
        "machine": {"cores": os.cpu_count()},
        "servers": {"web": len(SERVERS), "workers each": args.workers, "threads each": 4, "consumers": 2},
    }
    checks: dict = {}
    try:
        surge.run_mix(lb, plan, 4, 2.0, mix_balanced)  # warm every worker of every server up
        surge.run_mix(ports["web1"], plan, 4, 1.0, mix_direct)
        load_before = os.getloadavg()
        before = balancer.responses()
        trivial_balanced = surge.measure_trivial(lb, args.clients, 5)
        balanced = [trivial_balanced, *surge.run_mix(lb, plan, args.clients, args.mix_seconds, mix_balanced)]
        checks["mix reached every server"] = spread(before, balancer.responses())
        trivial_direct = surge.measure_trivial(ports["web1"], args.clients, 5)
        direct = [
            trivial_direct,
            *surge.run_mix(ports["web1"], plan, args.clients, args.mix_seconds, mix_direct),
        ]

        checks["sessions shared"] = check_sessions(ports, lb, email)
        checks["rate limits shared"] = check_rate_limits(ports)
        checks["caches invalidated on every server"] = check_cache_invalidation(
            ports, plan, admin_session, space_id
        )
        checks["periodic tasks once per period"] = check_periodic_tasks(os.environ["REDIS_URL"])

        progress = surge.Progress(len(surge_plan["voters"]))
        faults = ClusterFaults(servers, consumers, balancer, progress)
        faults.recipients = [user_id for user_id, _session in surge_plan["voters"][:150]]
        before = balancer.responses()
        faults.start()
        result = surge.run_surge(lb, surge_plan, args.surge_clients, progress)
        faults.join()
        checks["surge reached every server"] = spread(before, balancer.responses())
        load_after = os.getloadavg()
        alive = {
            name: Visitor(test_address()).request(port, "GET", "/healthz")[0] for name, port in ports.items()
        }
        from django.db import connections

        connections.close_all()  # this process's own connections were dropped with the others
        left = wait_for_tasks()
    finally:
        for consumer in consumers:
            consumer.stop()
        for server in servers.values():
            if server.process.poll() is None:
                server.stop()
        balancer.stop()

    voters = len(surge_plan["voters"])
    checks["consultation"] = one_ballot_per_voter(
        surge.check_consultation(surge_plan, result["by_voter"]["consultation answer"]),
        "participations (all)",
        voters,
    )
    checks["majority judgment"] = one_ballot_per_voter(
        surge.check_majority_judgment(surge_plan, result["by_voter"]["majority-judgment ballot"]),
        "participations",
        voters,
    )
    checks["budget vote"] = one_ballot_per_voter(
        surge.check_budget(surge_plan, result["by_voter"]["budget vote"]), "voters", voters
    )
    side_effects = surge.check_side_effects(result["mention comments acknowledged"])
    probes = check_probe_events(faults.probe_events, faults.recipients)
    side_effects.update(probes)
    side_effects["tasks held by the killed consumer"] = faults.stranded
    # Every queued task ran, once: the mentions' and the broadcasts', the killed consumer's too.
    side_effects["ok"] = (
        side_effects["ok"]
        # Below 0: a mention stored whose answer was lost (the visitor saw an error); not a loss.
        and side_effects["mention notifications never delivered"] <= 0
        and faults.stranded > 0
        and bool(probes["notifications per broadcast"])
        and all(n == len(faults.recipients) for n in probes["notifications per broadcast"])
    )
    checks["every queued task run once"] = side_effects
    checks["recovered"] = {
        "servers answering after the faults": alive,
        "tasks left": left,
        "ok": all(status == 200 for status in alive.values()) and not any(left.values()),
    }
    votes_per_second = round(result["votes"] / max(result["seconds"], 0.001), 1)
    report.update(
        {
            "seconds_to_seed": plan["seconds_to_seed"],
            "mix through the balancer": balanced,
            "mix straight to web1": direct,
            "surge": {key: value for key, value in result.items() if key != "by_voter"},
            "votes per second": votes_per_second,
            "votes per second ÷ trivial view through the balancer": round(
                votes_per_second / trivial_balanced["rps"], 3
            )
            if trivial_balanced["rps"]
            else None,
            "faults": faults.events,
            "checks": checks,
            "load average": {"before the mix": load_before, "after the surge": load_after},
        }
    )

    print(
        f"\n3 web servers ({args.workers} workers × 4 threads) + 2 consumers behind HAProxy, "
        f"PostgreSQL + Redis; {args.clients} visitors for {args.mix_seconds:.0f} s"
    )
    print_table(balanced, direct)
    print(
        f"\nSurge through the balancer: {len(surge_plan['voters'])} voters × {len(surge.VOTE_ACTIONS)} votes "
        f"in {result['seconds']} s = {votes_per_second} votes/s "
        f"({report['votes per second ÷ trivial view through the balancer']} of the trivial view's "
        f"{trivial_balanced['rps']} req/s); p95 per vote {result['per_vote']['p95_ms']} ms; "
        f"outcomes {result['outcomes']}"
    )
    for event in faults.events:
        print(f"  fault {event}")
    failed = False
    for name, outcome in checks.items():
        failed |= not outcome["ok"]
        details = ", ".join(f"{key} {value}" for key, value in outcome.items() if key != "ok")
        print(f"  {'OK  ' if outcome['ok'] else 'FAIL'} {name}: {details}")
    passed = sum(1 for outcome in checks.values() if outcome["ok"])
    report["checks passed"] = f"{passed}/{len(checks)}"
    print(
        f"checks passed {passed}/{len(checks)}; load average {load_before[0]:.2f} before the mix, "
        f"{load_after[0]:.2f} after the surge ({os.cpu_count()} cores)"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cluster.json").write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
