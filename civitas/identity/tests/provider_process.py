"""Start the real OpenID Connect provider (``provider/server.mjs``) for the tests, and play its user.

The provider is the certified ``oidc-provider`` package, run by Node in its own process on
127.0.0.1, installed from the npm registry at the version pinned in ``provider/package-lock.json``
(``scripts/test.sh`` installs it; so does ``ensure_installed`` when it is missing).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).parent / "provider"
# The people of server.mjs and the subjects it gives them.
SUBJECTS = {
    "angela": "b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1",
    "karim": "4d327dd1e427daf4d50296ab71d6f3fc82ccc40742943521d42f6df3ee8f8e3dv1",
}


def ensure_installed() -> None:
    """``npm ci`` once: test workers start together, so one installs while the others wait,
    and a stamp written after a complete install (not a file npm writes midway) says it is done."""
    import fcntl

    stamp = PROVIDER_DIR / "node_modules" / ".civitas-installed"
    if stamp.exists():
        return
    with open(PROVIDER_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            return
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is missing: install Node.js 20 or newer (apt-get install nodejs npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True)  # noqa: S603
        stamp.touch()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningProvider:
    process: subprocess.Popen
    issuer: str
    clients: list = field(default_factory=list)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def register_client(self, *, redirect_uris, post_logout_redirect_uris=(), client_name="civitas") -> dict:
        """A client of its own, by Dynamic Client Registration, with FranceConnect's signed user info."""
        response = requests.post(
            f"{self.issuer}/reg",
            json={
                "redirect_uris": list(redirect_uris),
                "post_logout_redirect_uris": list(post_logout_redirect_uris),
                "client_name": client_name,
                "userinfo_signed_response_alg": "RS256",
            },
            timeout=10,
        )
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_provider() -> RunningProvider:
    ensure_installed()
    port = _free_port()
    node = shutil.which("node") or "node"
    process = subprocess.Popen(  # noqa: S603
        [node, "server.mjs", str(port)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    output = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if line.startswith("listening "):
            # Keep reading its output away, so a full pipe never blocks it.
            threading.Thread(target=_drain, args=(process,), daemon=True).start()
            return RunningProvider(process=process, issuer=line.split()[1])
    process.kill()
    raise RuntimeError("the test OpenID provider did not start:\n" + "".join(output))


def _drain(process: subprocess.Popen) -> None:
    for _line in process.stdout:
        pass


class ProviderUser:
    """A person in front of the provider's pages, through plain HTTP: cookies, forms, redirects."""

    def __init__(self, issuer: str):
        self.issuer = issuer
        self.session = requests.Session()

    def answer(self, authorization_url: str, *, person: str = "angela", decision: str = "allow") -> str:
        """Follow the provider's pages and return the address it sends the browser back to."""
        url = authorization_url
        for _ in range(10):
            response = self.session.get(url, allow_redirects=False, timeout=10)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url
                continue
            if response.status_code == 200 and "/interaction/" in url:
                response = self.session.post(
                    url, data={"person": person, "decision": decision}, allow_redirects=False, timeout=10
                )
                url = urljoin(url, response.headers["Location"])
                if not url.startswith(self.issuer):
                    return url
                continue
            raise AssertionError(f"unexpected answer {response.status_code} at {url}: {response.text[:300]}")
        raise AssertionError("too many redirects at the provider")


def path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
