"""The vendored front-end files are exactly what scripts/vendor_frontend.py copied from npm.

A hand-edited vendored file, a package bumped in frontend/package.json without being
vendored again, or a file served without its licence would each fail here; no Node needed.
"""

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "civitas" / "static" / "vendor"
RECORD = json.loads((VENDOR / "VENDORED.json").read_text(encoding="utf-8"))
PINNED = json.loads((ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))["dependencies"]


def test_every_pinned_package_is_vendored_at_its_version():
    assert set(RECORD) == set(PINNED)
    for name, version in PINNED.items():
        assert RECORD[name]["version"] == version, name
        assert RECORD[name]["license"], f"{name} has no licence recorded"


def test_every_vendored_file_is_recorded_and_unchanged():
    on_disk = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "VENDORED.json"
    }
    recorded = {f"{name}/{file}" for name, entry in RECORD.items() for file in entry["files"]}
    assert on_disk == recorded
    for name, entry in RECORD.items():
        for file, digest in entry["files"].items():
            assert hashlib.sha256((VENDOR / name / file).read_bytes()).hexdigest() == digest, file


def test_each_package_ships_its_licence():
    for name, entry in RECORD.items():
        assert any("licen" in file.lower() for file in entry["files"]), name


def test_files_a_vendored_file_points_to_are_vendored_too():
    """collectstatic (whitenoise's manifest storage) refuses a source map or a CSS url()
    that points nowhere, which would stop the platform from starting in production."""
    reference = re.compile(r"sourceMappingURL=([^\s*]+)|url\(['\"]?([^'\")]+)['\"]?\)")
    for path in VENDOR.rglob("*"):
        if path.suffix not in (".js", ".css"):
            continue
        for match in reference.finditer(path.read_text(encoding="utf-8", errors="replace")):
            target = match.group(1) or match.group(2)
            if target.startswith(("data:", "http:", "https:", "#")) or not target.strip():
                continue
            assert (path.parent / target.split("?")[0].split("#")[0]).is_file(), f"{path.name} → {target}"
