"""The seeded demo, served by gunicorn + whitenoise as in production, for the tools that look at it.

``DemoSite`` seeds the demo organization (``manage.py seed_demo``) into a SQLite database
in a temporary folder, collects the static files (compressed, with hashed names: the
manifest storage of production), and serves it with gunicorn on a free loopback port with
DEBUG off. The demo's host is ``localhost``, so a browser opens it as
``http://localhost:PORT/`` with no host mapping. ``pages`` names the main pages and
``admin_cookie`` is a session of the demo's organization admin, second factor included.

Used by ``bench/pages_bench.py`` (Lighthouse, page weight) and ``scripts/screenshots.py``.
Run alone (``python bench/demo_site.py``) it serves the demo until Ctrl+C.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadkit import ROOT, Gunicorn, django_environment, free_port

# The pages the tools look at, in the order they are shown.
PAGE_NAMES = (
    "home",
    "space",
    "proposals",
    "proposal",
    "consultation",
    "budget",
    "results",
    "backoffice",
)

# Run in a child process with the demo's settings: the pages' paths and an admin session.
DESCRIBE = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.components.budgets.models import Budget
from civitas.components.models import Component
from civitas.components.proposals.models import Proposal
from civitas.core.management.commands.seed_demo import DEMO_ADMIN_EMAIL, DEMO_HOST
from civitas.organizations.models import Organization

organization = Organization.objects.get(host=DEMO_HOST)
components = Component.objects.filter(space__organization=organization, published_at__isnull=False)
proposals = components.get(manifest_name="proposals")
budget = Budget.objects.filter(component__in=components).order_by("pk").first()
pages = {
    "home": "/",
    "space": f"/spaces/{proposals.space.slug}/",
    "proposals": proposals.get_absolute_url(),
    "proposal": Proposal.objects.filter(component=proposals).order_by("pk").first().get_absolute_url(),
    "consultation": components.get(manifest_name="surveys").get_absolute_url(),
    "budget": budget.get_absolute_url(),
    "results": components.get(manifest_name="majority_judgment").get_absolute_url(),
    "backoffice": "/admin/",
}
admin = organization.users.get(email=DEMO_ADMIN_EMAIL)
device, _ = TOTPDevice.objects.get_or_create(user=admin, name="demo", defaults={"confirmed": True})
session = SessionStore()
session[SESSION_KEY] = str(admin.pk)
session[BACKEND_SESSION_KEY] = "civitas.accounts.backends.OrganizationAccountBackend"
session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.create()
print(json.dumps({"pages": pages, "admin_session": session.session_key}))
"""


class DemoSite:
    """Seed, serve and finally delete the demo; a context manager."""

    def __init__(self, workers: int = 2, keep: bool = False):
        self.workers = workers
        self.keep = keep
        self.folder = Path(tempfile.mkdtemp(prefix="civitas-demo-"))
        self.env = django_environment(f"sqlite:///{self.folder / 'db.sqlite3'}", self.folder / "var")
        self.env["CIVITAS_DEBUG"] = "false"
        self.port = free_port()
        self.server: Gunicorn | None = None
        self.pages: dict[str, str] = {}
        self.admin_session = ""

    @property
    def base(self) -> str:
        return f"http://localhost:{self.port}"

    def url(self, name: str) -> str:
        return self.base + self.pages[name]

    def admin_cookie(self) -> dict:
        return {"name": "sessionid", "value": self.admin_session, "domain": "localhost", "path": "/"}

    def _manage(self, *arguments: str) -> str:
        run = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise SystemExit(f"manage.py {arguments[0]} failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
        return run.stdout

    def __enter__(self) -> DemoSite:
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> DemoSite:
        started = time.perf_counter()
        print(f"Seeding the demo in {self.folder} …", file=sys.stderr)
        self._manage("migrate", "--noinput", "-v0")
        self._manage("createcachetable")
        self._manage("collectstatic", "--noinput", "-v0")
        self._manage("seed_demo")
        described = json.loads(self._manage("shell", "-v0", "-c", DESCRIBE).strip().splitlines()[-1])
        self.pages, self.admin_session = described["pages"], described["admin_session"]
        self.server = Gunicorn(self.port, workers=self.workers, env=self.env)
        print(f"Demo served on {self.base}/ ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        return self

    def __exit__(self, *exc) -> None:
        if self.server is not None:
            self.server.stop()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


if __name__ == "__main__":
    with DemoSite() as site:
        for name in PAGE_NAMES:
            print(f"{name:>13}  {site.url(name)}")
        print(f"admin session cookie: sessionid={site.admin_session}")
        with contextlib.suppress(KeyboardInterrupt):
            site.server.process.wait()
