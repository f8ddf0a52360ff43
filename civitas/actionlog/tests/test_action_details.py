"""The before / after details of the action log read in the admin's language, never as code.

Guards the whole kind, from the source: every key that a logging call writes in a record
literal (``after={"revoked": revoked}``), for every action code, and every field of every
model that a module logs with ``snapshot()``, must read as a name in French, and a coded
value (a choice) as its French label. A module that starts snapshotting must say which
models (``SNAPSHOTTED``), so that their fields are checked too.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.readable import readable_entry
from civitas.actionlog.registry import detail_label, registered_codes

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
LOGGERS = {"log_action", "_log"}

# Modules that log snapshot() records, and the models they snapshot.
SNAPSHOTTED = {
    "backoffice/views.py": ["organizations.Organization", "captcha.CaptchaQuestion"],
    "identity/admin_views.py": ["identity.IdentityProvider"],
    "legal/services.py": ["legal.TermsVersion", "legal.HelpPage"],
    "newsletters/services.py": ["newsletters.Newsletter"],
    "spam/services.py": ["spam.SpamSettings"],
    "homepage/services.py": ["homepage.HomeBlock"],
    "spaces/services.py": ["spaces.Space", "spaces.Phase", "spaces.SpaceRole", "spaces.ProcessGroup"],
    "components/services.py": ["components.Component", "pages.Page"],
    "components/accountability/services.py": [
        "accountability.Result",
        "accountability.Status",
        "accountability.TimelineEntry",
    ],
    "components/budgets/services.py": ["budgets.Budget", "budgets.Project"],
    "components/debates/services.py": ["debates.Debate"],
    "components/blog/services.py": ["blog.Post"],
    "components/meetings/services.py": ["meetings.Meeting"],
    "components/majority_judgment/services.py": ["majority_judgment.Election", "majority_judgment.Candidate"],
    "components/majority_judgment/paper.py": ["majority_judgment.PaperKeying"],
    "components/petitions/services.py": ["petitions.Petition"],
    "components/sortition/services.py": ["sortition.Panel", "sortition.PaperKeying"],
    "components/surveys/admin_views.py": ["surveys.Survey", "surveys.Question"],
    "components/surveys/services.py": ["surveys.Keying"],
    "components/participatory_texts/services.py": [
        "participatory_texts.Article",
        "participatory_texts.Section",
    ],
}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if not {"tests", "migrations", "testing"} & set(path.relative_to(ROOT).parts):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _call_name(node) -> str | None:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None)


def logged_keys() -> dict[str, set[str]]:
    """Each action code with the keys its logging calls write in record literals."""
    found: dict[str, set[str]] = {}
    for _path, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            records = [keyword.value for keyword in node.keywords if keyword.arg in ("before", "after")]
            codes = [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            if _call_name(node) in LOGGERS:
                codes += node.args
                records += node.args
            names = {
                part.value
                for expression in codes
                for part in ast.walk(expression)
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and CODE.match(part.value)
            }
            keys = {
                key.value
                for expression in records
                for part in ast.walk(expression)
                if isinstance(part, ast.Dict)
                for key in part.keys
                if isinstance(key, ast.Constant) and isinstance(key.value, str)
            }
            for name in names:
                found.setdefault(name, set()).update(keys)
    return {code: keys for code, keys in found.items() if keys}


def snapshotting_modules() -> set[str]:
    return {
        str(path.relative_to(ROOT))
        for path, tree in _sources()
        if any(isinstance(node, ast.Call) and _call_name(node) == "snapshot" for node in ast.walk(tree))
    } - {"actionlog/services.py"}


def _in_french(label) -> bool:
    """A name given for translation that the French catalogue translates."""
    if not isinstance(label, Promise):
        return False
    catalogue = trans_real.translation("fr")._catalog
    return label._args[0] in catalogue  # gettext_lazy(message): no context, no plural


def _sample(model_field):
    """A value of the field as snapshot() writes it."""
    if model_field.choices:
        return model_field.choices[0][0]
    if isinstance(model_field, models.BooleanField):
        return True
    if isinstance(model_field, models.DateTimeField):
        return "2027-01-10T09:30:00+00:00"
    if isinstance(model_field, models.DateField):
        return "2027-01-10"
    if isinstance(model_field, models.ManyToManyField):
        return [999_999]
    if model_field.is_relation or isinstance(model_field, models.IntegerField | models.FloatField):
        return 999_999
    if isinstance(model_field, models.JSONField):
        return []
    return "texte"


def _logged_fields(model) -> list:
    """The fields snapshot() writes: model_to_dict's, the editable ones (with the id)."""
    return [
        model_field
        for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if model_field.editable
    ]


def test_every_module_that_snapshots_says_which_models():
    assert snapshotting_modules() == set(SNAPSHOTTED), "update SNAPSHOTTED: which models does it log?"
    for labels in SNAPSHOTTED.values():
        for label in labels:
            apps.get_model(label)  # a model renamed or gone fails here


def test_every_key_a_logging_call_writes_reads_in_french():
    keys = logged_keys()
    assert len(keys) > 40  # the reader found the records: it would pass on nothing otherwise
    assert set(keys) <= registered_codes()
    unnamed = sorted(
        f"{key} ({code})"
        for code, code_keys in keys.items()
        for key in code_keys
        if not _in_french(detail_label(key))
    )
    assert not unnamed, "name these keys in the app's actions.py (register_details), in French: " + ", ".join(
        unnamed
    )


def test_every_component_setting_reads_in_french():
    """Components log their settings as records of records: their keys are named by the manifests."""
    from civitas.components.manifest import registry

    settings = [
        setting
        for manifest in registry.all()
        if apps.is_installed(f"civitas.components.{manifest.name}")  # not a test's own component type
        for setting in [*manifest.settings, *manifest.phase_settings]
    ]
    assert len(settings) > 20
    unnamed = sorted({setting.name for setting in settings if not _in_french(detail_label(setting.name))})
    assert not unnamed, "settings without a French label: " + ", ".join(unnamed)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted({label for labels in SNAPSHOTTED.values() for label in labels}))
def test_every_snapshotted_field_reads_in_french(label):
    model = apps.get_model(label)
    fields = _logged_fields(model)
    entry = ActionLogEntry(
        action="retired.code",
        target_type=label,
        before={model_field.name: None for model_field in fields},
        after={model_field.name: _sample(model_field) for model_field in fields},
    )
    with translation.override("fr"):
        changes = {change.label: change for change in readable_entry(entry).changes}
        unnamed = [
            model_field.name for model_field in fields if not _reads_in_french(model, model_field.name)
        ]
        assert not unnamed, f"{label}: no French name for " + ", ".join(unnamed)
        for model_field in fields:
            if model_field.choices:
                code, choice = model_field.choices[0]
                shown = [change.after for change in changes.values() if change.after == str(choice)]
                assert shown and (str(choice) != code or _in_french(choice)), f"{label}.{model_field.name}"
    assert all(change.named for change in changes.values())


def _reads_in_french(model, key) -> bool:
    """The name the log gives the key is a translated one: a verbose name or a registered name."""
    own = model._meta.get_field(key)
    if isinstance(own.verbose_name, Promise) and _in_french(own.verbose_name):
        return True
    if _in_french(detail_label(key)):
        return True
    return any(
        _in_french(getattr(sibling._meta.get_field(key), "verbose_name", None))
        for sibling in apps.get_app_config(model._meta.app_label).get_models()
        if key in {f.name for f in sibling._meta.get_fields()}
    )


def _log(org, user, action, target_type, before=None, after=None) -> None:
    ActionLogEntry.objects.create(
        organization=org, user=user, action=action, target_type=target_type, before=before, after=after
    )


@pytest.mark.django_db
def test_the_log_page_shows_details_as_french_words(org_a, admin_a):
    """The page itself: a choice, a related object, yes / no, a date and registered keys, in French."""
    _log(org_a, admin_a, "space.update", "spaces.Space", {"visibility": "public"}, {"visibility": "private"})
    _log(org_a, admin_a, "role.grant", "spaces.SpaceRole", after={"user": admin_a.pk, "role": "admin"})
    _log(org_a, admin_a, "role.update", "spaces.SpaceRole", {"is_public": True}, {"is_public": False})
    _log(org_a, admin_a, "letters.revoke", "authorizations.LetterBatch", after={"revoked": 12})
    _log(org_a, admin_a, "letters.generate", "authorizations.LetterBatch", after={"expires_on": "2027-01-10"})
    _log(
        org_a, admin_a, "component.create", "components.Component", after={"id": 7, "manifest_name": "pages"}
    )
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    page = client.get("/admin/log/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<dt>Visibilité</dt><dd><del>Public : " in page and "<ins>private</ins>" not in page
    assert f"<ins>{admin_a.nickname}</ins>" in page and "<ins>admin</ins>" not in page
    assert "<dd><del>oui</del> → <ins>non</ins></dd>" in page
    assert "<dt>Codes inutilisés révoqués</dt><dd><ins>12</ins></dd>" in page
    assert "<ins>10 janvier 2027</ins>" in page
    assert (
        "<dt>Identifiant</dt><dd><ins>7</ins></dd>" in page
        and "<dt>Type</dt><dd><ins>Page</ins></dd>" in page
    )
    assert not re.findall(r"<dt>[^<]*_[^<]*</dt>", page)


@pytest.mark.django_db
def test_values_read_as_text_two_decimals_and_phases_by_title(org_a, admin_a):
    """From the third outside look: an answer's HTML, a spam probability 0.9277, a
    component's per-phase settings keyed "8" and "default"."""
    from django.utils import translation

    from civitas.actionlog.registry import readable_value
    from civitas.spaces.models import Phase
    from civitas.testing.participation import published_space

    space = published_space(org_a, admin_a, "Budget participatif")
    phase = Phase.objects.create(space=space, title="Vote", position=1)
    with translation.override("fr"):
        text = readable_value("<p>Merci pour cette <strong>proposition</strong>.</p>")
        assert "<" not in text and "Merci pour cette proposition" in text
        assert readable_value(0.9277) == "0,93"
        shown = readable_value({str(phase.pk): {"x": True}, "default": {"x": False}}, keyed_by_phase=True)
        assert "phase « Vote »" in shown and "toutes les phases" in shown and str(phase.pk) not in shown
        # Elsewhere a number is a number: not taken for a phase.
        assert readable_value({str(phase.pk): 1}).startswith(f"{phase.pk}")
