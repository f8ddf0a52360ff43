"""Removing a component from INSTALLED_APPS leaves the core running.

Each component app is removed in turn (with the components whose models point to it, which
cannot run without it), in a child process on its own SQLite database: ``manage.py check``,
the demo seed twice (composed by the remaining components' hooks; the second run adds
nothing), the open-data archive, then the home page, every space and component, search,
statistics, open data and the API must answer 200.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
# Each probe runs in a child process on a SQLite database of its own, whatever database the
# suite runs on: once is enough, in the SQLite run (scripts/test.sh runs both).
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the probes use their own SQLite databases: they run in the SQLite suite",
)
COMPONENT_APPS = [name for name in settings.INSTALLED_APPS if name.startswith("civitas.components.")]


def _depends_on() -> dict[str, set[str]]:
    """Component app → the component apps its models point to (foreign keys, many-to-many)."""
    by_label = {apps.get_app_config(name.rsplit(".", 1)[-1]).label: name for name in COMPONENT_APPS}
    needs: dict[str, set[str]] = {name: set() for name in COMPONENT_APPS}
    for name in COMPONENT_APPS:
        config = next(config for config in apps.get_app_configs() if config.name == name)
        for model in config.get_models():
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if field.is_relation and target is not None and not field.auto_created:
                    other = by_label.get(target._meta.app_label)
                    if other and other != name:
                        needs[name].add(other)
    return needs


def removed_with(app: str) -> list[str]:
    """The app and every component app that (transitively) needs it."""
    needs = _depends_on()
    removed = {app}
    while True:
        more = {name for name, targets in needs.items() if targets & removed} - removed
        if not more:
            return sorted(removed)
        removed |= more


def _probe(var_dir: Path, without: list[str], *, migrate: bool) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.testing.settings_without",
            "CIVITAS_WITHOUT_APPS": ",".join(without),
            "CIVITAS_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
            "CIVITAS_HUEY_IMMEDIATE": "true",
            "CIVITAS_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "CIVITAS_LOG_LEVEL": "WARNING",
        }
    )
    command = [sys.executable, "-m", "civitas.testing.core_probe", *(["--migrate"] if migrate else [])]
    run = subprocess.run(  # noqa: S603 (our interpreter, our module)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, f"without {without}:\n{run.stdout[-3000:]}\n{run.stderr[-6000:]}"
    return json.loads(run.stdout.strip().splitlines()[-1])


def _assert_core_runs(report: dict, without: list[str]) -> None:
    labels = {name.rsplit(".", 1)[-1] for name in without}
    assert not labels & set(report["registered"]), report["registered"]
    # Every remaining component type took part in the demo (each has a demo hook).
    assert set(report["seeded"]) == set(report["registered"])
    assert report["components_after_second_seed"] == report["components_after_first_seed"]
    assert report["archive"]
    failing = {url: status for url, status in report["statuses"].items() if status != 200}
    assert not failing, f"without {without}: {failing}"


def test_the_dependencies_between_components_are_found():
    # Budgets, meetings, majority judgment and accountability link proposals in their models.
    assert "civitas.components.meetings" in removed_with("civitas.components.proposals")
    assert removed_with("civitas.components.pages") == ["civitas.components.pages"]


def test_every_component_app_has_a_demo_hook():
    from civitas.components.manifest import registry

    # The component apps' own types (a test may register a type of its own, without a demo).
    labels = [name.rsplit(".", 1)[-1] for name in COMPONENT_APPS]
    assert [
        label for label in labels if registry.get(label) is None or registry.get(label).demo is None
    ] == []


def test_a_fresh_installation_without_proposals_runs(tmp_path):
    """The case of the issue: the core once imported the proposals app; installed afresh without it."""
    without = removed_with("civitas.components.proposals")
    report = _probe(tmp_path, without, migrate=True)
    _assert_core_runs(report, without)
    assert "proposals" not in report["seeded"] and "surveys" in report["seeded"]


@pytest.mark.parametrize("app", COMPONENT_APPS, ids=lambda name: name.rsplit(".", 1)[-1])
def test_removing_each_component_leaves_the_core_running(app, migrated_sqlite_folder, tmp_path):
    """An existing installation, migrated with every app, from which a component is removed
    keeps its tables."""
    without = removed_with(app)
    shutil.copy(migrated_sqlite_folder / "db.sqlite3", tmp_path / "db.sqlite3")
    report = _probe(tmp_path, without, migrate=False)
    _assert_core_runs(report, without)
