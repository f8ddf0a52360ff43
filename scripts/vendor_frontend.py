"""Copy the front-end packages the pages use from the npm registry into the static files.

The platform never runs Node: the files it serves are committed under
``civitas/static/vendor/<package>/`` together with each package's licence, and
``civitas/static/vendor/VENDORED.json`` records the version, the licence and a SHA-256 of
every file, so that a test can tell when a vendored file was edited by hand or a package
was bumped in ``frontend/package.json`` without being vendored again.

Run it after changing ``frontend/package.json`` or ``frontend/vendor.json``:

    .venv/bin/python scripts/vendor_frontend.py

It needs ``npm`` and the registry; nothing else in the project does.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
VENDOR = ROOT / "civitas" / "static" / "vendor"
RECORD = VENDOR / "VENDORED.json"
LICENCE_NAMES = (
    "LICENSE",
    "LICENSE.md",
    "LICENSE.txt",
    "LICENCE",
    "MIT-LICENCE.txt",
    "license",
    "license.md",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install(workdir: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is needed to vendor front-end packages (apt-get install npm)")
    shutil.copy(FRONTEND / "package.json", workdir / "package.json")
    subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=optional"],
        cwd=workdir,
        check=True,
    )
    return workdir / "node_modules"


def licence_of(package_dir: Path) -> Path:
    for name in LICENCE_NAMES:
        if (package_dir / name).is_file():
            return package_dir / name
    raise SystemExit(f"{package_dir.name}: no licence file in the package, refusing to vendor it")


def vendor_package(name: str, wanted: list[str], node_modules: Path, pinned: str) -> dict:
    source = node_modules / name
    manifest = json.loads((source / "package.json").read_text(encoding="utf-8"))
    if manifest["version"] != pinned:
        raise SystemExit(f"{name}: npm installed {manifest['version']}, package.json pins {pinned}")
    target = VENDOR / name
    shutil.rmtree(target, ignore_errors=True)
    files = {}
    for relative in [*wanted, licence_of(source).name]:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source / relative, destination)
        files[relative] = sha256(destination)
    return {"version": manifest["version"], "license": manifest.get("license", ""), "files": files}


def main() -> int:
    pinned = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))["dependencies"]
    wanted = {
        name: files
        for name, files in json.loads((FRONTEND / "vendor.json").read_text(encoding="utf-8")).items()
        if not name.startswith("_")
    }
    if set(pinned) != set(wanted):
        raise SystemExit("frontend/package.json and frontend/vendor.json must name the same packages")
    with tempfile.TemporaryDirectory() as workdir:
        node_modules = install(Path(workdir))
        record = {
            name: vendor_package(name, wanted[name], node_modules, pinned[name]) for name in sorted(pinned)
        }
    for stale in VENDOR.iterdir() if VENDOR.exists() else ():
        if stale.is_dir() and stale.name not in record:
            shutil.rmtree(stale)
    RECORD.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for name, entry in record.items():
        print(f"{name} {entry['version']} ({entry['license']}): {len(entry['files'])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
