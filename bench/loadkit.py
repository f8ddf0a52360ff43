"""Pieces shared by the benchmarks: child processes, the servers, a browser-like client, statistics.

The servers are the production ones (gunicorn, huey's consumer) started as child
processes on loopback, so a benchmark measures the whole stack and a fault harness
can kill them like an operating system would.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_TOKEN = "b" * 32  # any 32-character secret is a valid unmasked token


def django_environment(database_url: str, var_dir: Path) -> dict:
    """A child process's environment: this database, tasks run in-process, no Redis."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_VAR_DIR": str(var_dir),
            "DATABASE_URL": database_url,
            "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CIVITAS_HUEY_IMMEDIATE": "true",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def run_phase(script: str, phase: str, database_url: str, var_dir: Path, *extra: str) -> dict:
    """Run ``script --phase phase`` in a fresh process (its own peak memory, its own
    Django settings); the phase prints its result as one JSON line, last."""
    run = subprocess.run(
        [sys.executable, script, "--phase", phase, *extra],
        env=django_environment(database_url, var_dir),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if run.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BENCH_DATABASE_NAME = re.compile(r"[a-z0-9_]+_bench")


class NotABenchDatabase(SystemExit):
    """A benchmark was pointed at a database that is not clearly its own."""


def bench_database_name(database_url: str) -> str:
    """The PostgreSQL database a benchmark may create, fill, flush or drop: only one whose
    name says it is a benchmark's (``…_bench``), never a database someone works in."""
    import dj_database_url

    name = dj_database_url.parse(database_url)["NAME"] or ""
    if not BENCH_DATABASE_NAME.fullmatch(name):
        raise NotABenchDatabase(
            f"refusing to use the database {name!r}: a benchmark writes into, flushes or drops the "
            "database it is given; name one of its own, ending in _bench (e.g. civitas_mj_bench)"
        )
    return name


def _postgres_server(database_url: str):
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(database_url)
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def postgres_bench_database(database_url: str) -> bool:
    """Create the benchmark's own database if missing; False when PostgreSQL does not answer.
    Refuses (exits) unless the name is a benchmark's, before connecting to anything."""
    import psycopg
    from psycopg import sql

    name = bench_database_name(database_url)
    try:
        with _postgres_server(database_url) as server:
            if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError:
        return False
    return True


def fresh_postgres_database(database_url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database, whatever an earlier run left.
    Refuses (exits) unless the name is a benchmark's."""
    from psycopg import sql

    name = sql.Identifier(bench_database_name(database_url))
    with _postgres_server(database_url) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        server.execute(sql.SQL("CREATE DATABASE {}").format(name))


def manage(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], check=check, cwd=ROOT)


class Gunicorn:
    """gunicorn with ``workers`` processes × 4 threads; its master respawns killed workers."""

    def __init__(self, port: int, workers: int = 2, env: dict | None = None):
        self.port = port
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "civitas.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4"),
                *("--log-level", "warning", "--graceful-timeout", "5"),
            ],
            cwd=ROOT,
            env=os.environ.copy() if env is None else env,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.process.kill()
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_one_worker(self) -> int | None:
        """SIGKILL one worker, as the kernel's OOM killer would; returns its pid."""
        pids = self.worker_pids()
        if not pids:
            return None
        os.kill(pids[0], signal.SIGKILL)
        return pids[0]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class ServerCpu:
    """CPU seconds the servers spend: a gunicorn master's workers and the PostgreSQL
    backends serving one database. Requests per second depend on what else the machine
    runs (on a shared machine, other people's jobs); CPU per request does not, so a share
    of the trivial view computed from it says what the same machine would give alone."""

    def __init__(self, master_pid: int, database: str):
        self.master_pid = master_pid
        self.database = database

    def _pids(self) -> list[tuple[str, int]]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        workers = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        # A backend's title is "postgres: [cluster: ]user database client state".
        backends = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                title = cmdline.read_bytes().decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {self.database} " in title:
                backends.append(int(cmdline.parent.name))
        return [("gunicorn", pid) for pid in workers] + [("postgresql", pid) for pid in backends]

    @staticmethod
    def _seconds(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def snapshot(self) -> dict[tuple[str, int], float]:
        return {(kind, pid): self._seconds(pid) for kind, pid in self._pids()}

    def per_request(self, before: dict, requests: int) -> dict:
        """Milliseconds of CPU per request since ``before``, by server and in all."""
        spent = {"gunicorn": 0.0, "postgresql": 0.0}
        for (kind, pid), seconds in self.snapshot().items():
            spent[kind] += seconds - before.get((kind, pid), 0.0)
        spent["total"] = sum(spent.values())
        if not requests:
            return dict.fromkeys(spent)
        return {kind: round(seconds * 1000 / requests, 2) for kind, seconds in spent.items()}


class HueyConsumer:
    def __init__(self, env: dict | None = None):
        self.env = env
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "run_huey", "--quiet"],
            cwd=ROOT,
            env=os.environ.copy() if self.env is None else self.env,
            stdout=subprocess.DEVNULL,
        )

    def kill(self) -> int:
        """SIGKILL the consumer mid-work; returns its pid."""
        pid = self.process.pid
        self.process.kill()
        self.process.wait()
        return pid

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Response:
    status: int
    body: str
    location: str
    seconds: float
    # SQL statements the server says the request sent (bench/query_count.py), when it says.
    queries: int | None = None


@dataclass
class Browser:
    """One visitor on one persistent connection, keeping cookies as a browser does.

    A logged-in visitor carries a session cookie made by the seeding step; every POST
    carries the CSRF cookie and header a page's JavaScript-free form would.
    """

    port: int
    host: str
    session: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def __post_init__(self):
        self.cookies["csrftoken"] = CSRF_TOKEN
        if self.session:
            self.cookies["sessionid"] = self.session

    def _connection(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.connection

    def request(self, method: str, path: str, data: dict | list | None = None) -> Response:
        """Raises OSError / HTTPException when the connection fails (a killed worker)."""
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or {}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": CSRF_TOKEN,
                    "Referer": f"http://{self.host}:{self.port}{path}",
                }
            )
        started = time.perf_counter()
        try:
            connection = self._connection()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        elapsed = time.perf_counter() - started
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _sep, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        queries = response.getheader("X-Bench-Queries")
        return Response(
            response.status,
            content,
            response.getheader("Location", ""),
            elapsed,
            int(queries) if queries and queries.isdigit() else None,
        )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(sorted_values: list[float], share: float) -> float | None:
    if not sorted_values:
        return None
    return round(sorted_values[min(len(sorted_values) - 1, int(share * len(sorted_values)))] * 1000, 1)


def summarize(label: str, latencies: list[float], errors: int, seconds: float) -> dict:
    latencies = sorted(latencies)
    return {
        "label": label,
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / seconds, 1) if seconds else None,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
    }


def print_table(rows: list[dict], ceiling_rps: float | None) -> None:
    print(
        f"{'action':34} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} {'÷ trivial':>9}"
    )
    for row in rows:
        share = round(row["rps"] / ceiling_rps, 3) if ceiling_rps and row["rps"] is not None else "-"
        row["share_of_trivial_view"] = share
        print(
            f"{row['label']:34} {row['requests']:>8} {row['rps']!s:>7} {row['p50_ms']!s:>8} "
            f"{row['p95_ms']!s:>8} {row['p99_ms']!s:>8} {row['errors']:>6} {share!s:>9}"
        )
