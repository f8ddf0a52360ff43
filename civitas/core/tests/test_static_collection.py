"""Production's static storage collects every file: hashed names, compressed copies.

The test settings serve static files unhashed, so nothing else runs ``collectstatic`` with
the storage production uses; vendored scripts pointing at source maps they ship without
once made the collection, and so every deployment, fail.
"""

import json

from django.core.management import call_command


def test_collectstatic_succeeds_with_the_production_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "civitas.core.staticfiles.StaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    hashed = json.loads((tmp_path / "staticfiles.json").read_text(encoding="utf-8"))["paths"]
    assert hashed["civitas/civitas.css"] != "civitas/civitas.css"
    assert (tmp_path / (hashed["civitas/civitas.css"] + ".gz")).exists()
    mapped = [name for name in hashed if name.endswith(".js") and name.startswith("vendor/")]
    assert mapped, "no vendored script was collected"
