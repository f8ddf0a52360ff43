import os

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from civitas.env import ImproperlyConfiguredEnv, env_bool, env_int, env_str
from civitas.organizations.models import Organization
from civitas.organizations.theme import contrast_ratio, readable_text_on


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _assert_the_demo_has_described_pictures():
    from django.core.files.storage import default_storage

    from civitas.core.thumbnails import aliases_of, thumbnail_name

    pictured = []
    for label, field, least in (
        ("spaces.Space", "image", 3),
        ("spaces.Space", "banner", 3),
        ("proposals.Proposal", "image", 3),
        ("budgets.Project", "image", 3),
        ("meetings.Meeting", "image", 3),
    ):
        model = apps.get_model(label)
        rows = model.objects.exclude(**{field: ""})
        assert rows.count() >= least, label
        for row in rows:
            assert getattr(row, f"{field}_alt"), (label, row.pk)
            pictured.append((model, field, getattr(row, field).name))
    people = get_user_model().objects.exclude(avatar="")
    assert people.count() >= 4
    pictured += [(get_user_model(), "avatar", person.avatar.name) for person in people]
    for model, field, name in pictured:
        for alias in aliases_of(model, field):
            assert default_storage.exists(thumbnail_name(name, alias)), (name, alias)


@pytest.mark.django_db
def test_seed_demo_is_idempotent(settings, tmp_path, capsys):
    from civitas.components.manifest import registry
    from civitas.components.models import Component

    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    first = capsys.readouterr().out
    _assert_the_demo_has_described_pictures()
    counts = _row_counts()
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert Organization.objects.filter(host="localhost").count() == 1
    # Nothing of what the first run made is made again, in any table (sessions and the
    # action log included): the demo is completed, never duplicated.
    changed = {
        label: (count, _row_counts()[label])
        for label, count in counts.items()
        if _row_counts()[label] != count
    }
    assert changed == {}
    # Every installed component app's type is in the demo (tests may register types of their own).
    installed = {
        config.label for config in apps.get_app_configs() if config.name.startswith("civitas.components.")
    }
    assert installed <= {manifest.name for manifest in registry.all()}
    assert set(Component.objects.values_list("manifest_name", flat=True)) == installed
    password = first.split("admin@demo.civitas.test / ")[1].split()[0]
    assert f"admin@demo.civitas.test / {password}" in second
    client = Client(HTTP_HOST="localhost:8000")
    home = client.get("/")
    assert "Démoville" in home.content.decode()
    # The home page the demo arranged, each kind of block with something to show.
    assert [item.block.kind for item in home.context["blocks"]] == [
        "hero",
        "highlight",
        "open_spaces",
        "upcoming_meetings",
        "latest_news",
        "recent_proposals",
        "map",
        "free_text",
        "key_figures",
    ]
    assert (
        client.post(
            "/accounts/login/", {"username": "admin@demo.civitas.test", "password": password}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_seeding_again_keeps_passwords_and_sessions(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    users = get_user_model().objects
    changed = {}
    for user in users.all():
        user.set_password(f"changed-in-the-interface-{user.pk}")
        user.save(update_fields=["password"])
        changed[user.pk] = user.password
    call_command("seed_demo")
    assert {user.pk: user.password for user in users.all()} == changed


def test_env_helpers_fail_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("CIVITAS_X", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_bool("CIVITAS_X", False)
    monkeypatch.setenv("CIVITAS_X", "12a")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_int("CIVITAS_X", 1)
    monkeypatch.setenv("CIVITAS_X", "-1")
    with pytest.raises(ImproperlyConfiguredEnv):
        env_int("CIVITAS_X", 1, minimum=0)
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("CIVITAS_SECRET_FILE", str(secret))
    assert env_str("CIVITAS_SECRET") == "from-a-file"
    monkeypatch.setenv("CIVITAS_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfiguredEnv):
        env_str("CIVITAS_SECRET")


def test_theme_text_colour_keeps_aa_contrast():
    for colour in ("#1d4f91", "#ffffff", "#f2c14e", "#7a1f5c", "#00ff00", "#777777"):
        assert contrast_ratio(colour, readable_text_on(colour)) >= 4.5


@pytest.mark.django_db
def test_security_headers(client_a):
    response = client_a.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="migrates the embedded default, SQLite, whatever the suite's database: run in the SQLite suite",
)
def test_migrate_alone_creates_the_shared_cache_table(migrated_sqlite_folder):
    """A fresh database prepared by ``migrate`` and nothing else can log people in."""
    import sqlite3

    database = migrated_sqlite_folder / "db.sqlite3"
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master")}
    assert "civitas_shared_cache" in tables
