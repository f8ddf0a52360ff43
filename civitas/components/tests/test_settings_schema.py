"""Typed component settings: the framework-free schema, then the same rules through the back-office."""

import ast
from datetime import date
from pathlib import Path

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.manifest import ComponentManifest, registry
from civitas.components.models import Component
from civitas.components.schema import SchemaValidationError, Setting, SettingError, SettingsSchema
from civitas.components.services import do_add_component
from civitas.spaces.models import Phase, Space, SpaceRole
from civitas.testing.factories import UserFactory

SCHEMA = SettingsSchema(
    (
        Setting("enabled", "boolean"),
        Setting("shown", "boolean", default=True),
        Setting("votes", "integer", default=3, minimum=1, maximum=10),
        Setting("title", "string", required=True, max_length=20),
        Setting("intro", "text", max_length=50, default=""),
        Setting("mode", "choice", default="open", choices=(("open", "Open"), ("closed", "Closed"))),
        Setting("deadline", "date"),
    )
)


def _errors(raw, schema=SCHEMA, **kwargs) -> dict[str, list[SettingError]]:
    with pytest.raises(SchemaValidationError) as caught:
        schema.clean(raw, **kwargs)
    return caught.value.errors


def _codes(raw, **kwargs) -> dict[str, str]:
    return {name: errors[0].code for name, errors in _errors(raw, **kwargs).items()}


# --- the schema, without Django ------------------------------------------------------------


def test_schema_module_imports_nothing_from_django():
    import civitas.components.schema as schema

    tree = ast.parse(Path(schema.__file__).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported and not [name for name in imported if name.split(".")[0] in {"django", "civitas"}]


def test_valid_values_are_typed():
    cleaned = SCHEMA.clean(
        {
            "enabled": "on",
            "shown": "false",
            "votes": " 7 ",
            "title": "  Budget  ",
            "intro": "Bonjour",
            "mode": "closed",
            "deadline": "2025-03-01",
        }
    )
    assert cleaned == {
        "enabled": True,
        "shown": False,
        "votes": 7,
        "title": "Budget",
        "intro": "Bonjour",
        "mode": "closed",
        "deadline": "2025-03-01",
    }
    assert SCHEMA.clean({"title": "x", "deadline": date(2025, 3, 1), "votes": 10})["deadline"] == "2025-03-01"


def test_defaults_fill_what_is_not_given():
    assert SCHEMA.clean({"title": "x"}) == {
        "enabled": False,  # a boolean without a default is off
        "shown": True,
        "votes": 3,
        "title": "x",
        "intro": "",
        "mode": "open",
        "deadline": None,
    }
    # Empty strings mean "not given", as from an empty form field.
    assert SCHEMA.clean({"title": "x", "votes": "", "mode": "", "deadline": ""})["votes"] == 3
    assert SCHEMA.defaults() == {
        "enabled": False,
        "shown": True,
        "votes": 3,
        "title": None,
        "intro": "",
        "mode": "open",
        "deadline": None,
    }


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("enabled", "maybe"),
        ("enabled", 1),
        ("votes", "three"),
        ("votes", "2.5"),
        ("votes", 2.5),
        ("votes", True),
        ("votes", "--5"),
        ("votes", "²"),
        ("title", 12),
        ("intro", ["a"]),
        ("deadline", "31/03/2025"),
        ("deadline", "2025-02-30"),
    ],
)
def test_wrong_type(name, raw):
    errors = _errors({"title": "x", name: raw})
    assert list(errors) == [name]
    assert errors[name][0].code == "invalid_type"


def test_out_of_range():
    errors = _errors({"title": "x", "votes": "0"})
    assert errors["votes"] == [SettingError("below_minimum", {"minimum": 1})]
    assert _codes({"title": "x", "votes": -3}) == {"votes": "below_minimum"}
    errors = _errors({"title": "x", "votes": 11})
    assert errors["votes"] == [SettingError("above_maximum", {"maximum": 10})]
    # The bounds themselves are allowed.
    assert SCHEMA.clean({"title": "x", "votes": 1})["votes"] == 1
    assert SCHEMA.clean({"title": "x", "votes": "10"})["votes"] == 10


@pytest.mark.parametrize("missing", [{}, {"title": None}, {"title": ""}, {"title": "   "}])
def test_missing_required(missing):
    assert _codes(missing) == {"title": "required"}


def test_required_boolean_accepts_off():
    schema = SettingsSchema((Setting("agree", "boolean", required=True),))
    assert schema.clean({}) == {"agree": False}


def test_too_long():
    errors = _errors({"title": "x" * 21, "intro": "y" * 51})
    assert errors["title"] == [SettingError("too_long", {"max_length": 20, "length": 21})]
    assert errors["intro"][0].code == "too_long"
    assert SCHEMA.clean({"title": "x" * 20, "intro": "y" * 50})["title"] == "x" * 20
    # Surrounding blanks are not counted.
    assert SCHEMA.clean({"title": " " + "x" * 20 + " "})["title"] == "x" * 20


def test_invalid_choice():
    errors = _errors({"title": "x", "mode": "ajar"})
    assert errors["mode"] == [SettingError("invalid_choice", {"value": "ajar"})]
    assert _codes({"title": "x", "mode": "Open"}) == {"mode": "invalid_choice"}  # values, not labels
    assert _codes({"title": "x", "mode": ["open"]}) == {"mode": "invalid_choice"}


def test_unknown_key():
    assert _codes({"title": "x", "colour": "red"}) == {"colour": "unknown"}
    assert "colour" not in SCHEMA.clean({"title": "x", "colour": "red"}, allow_unknown=True)


def test_every_problem_is_reported_at_once():
    codes = _codes({"votes": 99, "mode": "ajar", "intro": "y" * 60, "extra": 1})
    assert codes == {
        "votes": "above_maximum",
        "title": "required",
        "mode": "invalid_choice",
        "intro": "too_long",
        "extra": "unknown",
    }


def test_unknown_setting_type_is_refused():
    with pytest.raises(ValueError, match="unknown type"):
        Setting("x", "float")


def test_read_tolerates_stale_stored_data():
    assert SCHEMA.read(None) == SCHEMA.defaults()
    assert SCHEMA.read({}) == SCHEMA.defaults()
    stored = {
        "enabled": True,
        "votes": 50,  # the maximum was lowered since
        "mode": "archived",  # the choice was removed since
        "intro": "y" * 80,  # the limit was lowered since
        "deadline": "not a date",
        "title": 42,
        "shown": "yes",
        "removed_setting": "whatever",  # the setting was removed since
    }
    read = SCHEMA.read(stored)
    assert read == {**SCHEMA.defaults(), "enabled": True, "shown": True}
    assert "removed_setting" not in read
    # Values of a type the schema never produced do not crash either.
    odd = {"votes": "--5", "mode": ["open"], "enabled": {"a": 1}, "deadline": [2025], "title": None}
    assert SCHEMA.read(odd) == SCHEMA.defaults()
    assert SCHEMA.read({"votes": "4"})["votes"] == 4


def test_empty_schema():
    empty = SettingsSchema()
    assert not empty and SCHEMA
    assert empty.defaults() == {} and empty.read({"old": 1}) == {}
    assert empty.clean({}) == {}
    assert list(_errors({"old": 1}, schema=empty)) == ["old"]


# --- through the back-office configure page -------------------------------------------------

WIDGET = registry.register(
    ComponentManifest(
        name="test_settings_widget",
        verbose_name="Test widget",
        settings=SettingsSchema(
            (
                Setting("votes", "integer", default=3, minimum=1, maximum=10),
                Setting("mode", "choice", default="open", choices=(("open", "Open"), ("closed", "Closed"))),
                Setting("label", "string", required=True, max_length=20),
            )
        ),
        phase_settings=SettingsSchema(
            (
                Setting("voting_enabled", "boolean"),
                Setting("limit", "integer", minimum=0, maximum=5, default=0),
            )
        ),
    )
)


@pytest.fixture
def space(org_a):
    return Space.objects.create(organization=org_a, slug="budget", title="Budget")


@pytest.fixture
def admin_client(client_a, admin_a):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    return client_a


def _url(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/"


def _snapshot(component):
    component.refresh_from_db()
    return component.name, component.settings, component.phase_settings


@pytest.mark.django_db
class TestWidgetThroughTheWeb:
    @pytest.fixture
    def component(self, space, admin_a):
        return do_add_component(space=space, user=admin_a, manifest=WIDGET, name="Widget")

    @pytest.fixture
    def phases(self, space):
        return [
            Phase.objects.create(space=space, title="Ideas", position=0),
            Phase.objects.create(space=space, title="Vote", position=1),
        ]

    def _valid(self, phases):
        data = {
            "component-name": "Votes",
            "settings-votes": "5",
            "settings-mode": "closed",
            "settings-label": "L",
        }
        for phase in phases:
            data[f"phase-{phase.pk}-limit"] = "2"
        data[f"phase-{phases[1].pk}-voting_enabled"] = "on"
        return data

    def test_adding_stores_the_defaults(self, component):
        assert component.settings == {"votes": 3, "mode": "open", "label": None}
        assert component.current_settings()["votes"] == 3

    def test_valid_post_saves_typed_values(self, admin_client, component, phases):
        response = admin_client.post(_url(component), self._valid(phases))
        assert response.status_code == 302 and response["Location"] == _url(component)
        component.refresh_from_db()
        assert component.name == "Votes"
        assert component.settings == {"votes": 5, "mode": "closed", "label": "L"}
        assert component.phase_settings == {
            str(phases[0].pk): {"voting_enabled": False, "limit": 2},
            str(phases[1].pk): {"voting_enabled": True, "limit": 2},
        }
        assert component.settings_for_phase(phases[1]) == {"voting_enabled": True, "limit": 2}
        assert (
            ActionLogEntry.objects.filter(action="component.configure", target_id=str(component.pk)).count()
            == 1
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("settings-votes", "abc", "wrong type"),
            ("settings-votes", "0", "minimum is 1"),
            ("settings-votes", "11", "maximum is 10"),
            ("settings-votes", "--5", "wrong type"),
            ("settings-label", "", "required"),
            ("settings-label", "x" * 21, "At most 20 characters (21 given)"),
            ("settings-mode", "ajar", "ajar"),
            ("component-name", "", "required"),
            ("PHASE-limit", "6", "maximum is 5"),
            ("PHASE-limit", "-1", "minimum is 0"),
        ],
    )
    def test_bad_input_is_shown_and_nothing_is_saved(
        self, admin_client, component, phases, field, value, message
    ):
        before = _snapshot(component)
        data = self._valid(phases)
        data[field.replace("PHASE", f"phase-{phases[1].pk}")] = value
        response = admin_client.post(_url(component), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert _snapshot(component) == before
        assert not ActionLogEntry.objects.filter(action="component.configure").exists()

    def test_unknown_posted_keys_are_ignored(self, admin_client, component, phases):
        data = {**self._valid(phases), "settings-colour": "red", "phase-9999-limit": "3"}
        assert admin_client.post(_url(component), data).status_code == 302
        component.refresh_from_db()
        assert "colour" not in component.settings
        assert "9999" not in component.phase_settings

    def test_stale_stored_settings_still_render(self, admin_client, component, phases):
        Component.objects.filter(pk=component.pk).update(
            settings={"votes": 99, "mode": "gone", "old": 1},
            phase_settings={str(phases[0].pk): {"limit": "x"}, "12345": {"limit": 1}},
        )
        assert admin_client.get(_url(component)).status_code == 200
        component.refresh_from_db()
        assert component.current_settings() == {"votes": 3, "mode": "open", "label": None}
        assert component.settings_for_phase(phases[0]) == {"voting_enabled": False, "limit": 0}

    def test_space_without_phases_uses_the_default_key(self, admin_client, component):
        data = {
            "component-name": "W",
            "settings-votes": "2",
            "settings-label": "L",
            "phase-default-voting_enabled": "on",
            "phase-default-limit": "4",
        }
        assert admin_client.post(_url(component), data).status_code == 302
        component.refresh_from_db()
        assert component.phase_settings == {"default": {"voting_enabled": True, "limit": 4}}
        assert component.active_phase_settings() == {"voting_enabled": True, "limit": 4}

        data["phase-default-limit"] = "9"
        assert admin_client.post(_url(component), data).status_code == 200
        component.refresh_from_db()
        assert component.phase_settings["default"]["limit"] == 4


@pytest.mark.django_db
class TestPageComponentThroughTheWeb:
    @pytest.fixture
    def component(self, space, admin_a):
        return do_add_component(space=space, user=admin_a, manifest=registry.get("pages"), name="Charte")

    def test_page_boolean_and_per_phase_text(self, admin_client, component, space):
        phase = Phase.objects.create(space=space, title="Ideas")
        assert component.settings == {"show_update_date": True}
        data = {"component-name": "Charte", f"phase-{phase.pk}-announcement": "Bienvenue"}
        # An unchecked box is "off", not "default".
        assert admin_client.post(_url(component), data).status_code == 302
        component.refresh_from_db()
        assert component.settings == {"show_update_date": False}
        assert component.phase_settings == {str(phase.pk): {"announcement": "Bienvenue"}}

        before = _snapshot(component)
        data = {
            "component-name": "Charte",
            "settings-show_update_date": "on",
            f"phase-{phase.pk}-announcement": "x" * 501,
        }
        response = admin_client.post(_url(component), data)
        assert response.status_code == 200
        assert "At most 500 characters (501 given)" in response.content.decode()
        assert _snapshot(component) == before

        data[f"phase-{phase.pk}-announcement"] = "x" * 500
        assert admin_client.post(_url(component), data).status_code == 302
        component.refresh_from_db()
        assert component.settings == {"show_update_date": True}
        assert len(component.phase_settings[str(phase.pk)]["announcement"]) == 500

    def test_only_admins_of_the_space_configure(
        self, client_a, org_a, component, space, user_a, client_b, org_b
    ):
        url = _url(component)
        assert client_a.post(url, {"component-name": "x"}).status_code == 302  # log in first
        client_a.force_login(user_a)
        assert client_a.post(url, {"component-name": "x"}).status_code == 403
        other_space = Space.objects.create(organization=org_a, slug="autre", title="Autre")
        animator = UserFactory(organization=org_a)
        SpaceRole.objects.create(space=other_space, user=animator, role="admin")
        client_a.force_login(animator)
        assert client_a.post(url, {"component-name": "x"}).status_code == 403
        client_b.force_login(UserFactory(organization=org_b, is_organization_admin=True))
        assert client_b.post(url, {"component-name": "x"}).status_code == 404
        component.refresh_from_db()
        assert component.name == "Charte"
