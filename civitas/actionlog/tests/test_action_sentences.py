"""Admins read the action log as sentences in their language, never as codes.

Guards the whole kind: every action code logged anywhere in the code (read from the
source: the ``action`` argument of any call, and the codes given to ``log_action`` and
the apps' ``_log`` helpers) has a sentence in the registry, every sentence has its French,
and the log page shows sentences, readable changes and localized values.
"""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from civitas.actionlog.registry import registered_codes, sentence_for
from civitas.actionlog.services import log_action

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
LOGGERS = {"log_action", "_log"}


def logged_codes() -> tuple[dict[str, set[str]], list[str]]:
    """The codes the code can log, with where; and the places that build a code at run time."""
    codes: dict[str, set[str]] = {}
    built = []
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations", "testing"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            expressions = [keyword.value for keyword in node.keywords if keyword.arg == "action"]
            if name in LOGGERS:
                expressions += node.args
            for expression in expressions:
                for part in ast.walk(expression):
                    if (
                        isinstance(part, ast.Constant)
                        and isinstance(part.value, str)
                        and CODE.match(part.value)
                    ):
                        codes.setdefault(part.value, set()).add(str(path.relative_to(ROOT)))
                    elif isinstance(part, ast.JoinedStr):
                        built.append(f"{path.relative_to(ROOT)}:{part.lineno}")
    return codes, built


def test_every_logged_action_has_a_sentence():
    codes, built = logged_codes()
    assert len(codes) > 100  # the reader found the codes: it would pass on nothing otherwise
    assert not built, "write action codes as literals, so that they can have a sentence: " + ", ".join(built)
    missing = sorted(
        f"{code} ({', '.join(sorted(places))})"
        for code, places in codes.items()
        if code not in registered_codes()
    )
    assert not missing, "actions without a sentence in an actions.py: " + "; ".join(missing)


def test_every_sentence_is_in_french():
    untranslated = []
    for code in sorted(registered_codes()):
        with translation.override("en"):
            english = str(sentence_for(code))
        with translation.override("fr"):
            french = str(sentence_for(code))
        if french == english:
            untranslated.append(f"{code}: {english}")
    assert not untranslated, "no French: " + "; ".join(untranslated)


@pytest.mark.django_db
def test_the_log_page_reads_as_sentences(org_a, admin_a):
    from django.db import transaction

    with transaction.atomic():
        log_action(
            organization=org_a,
            user=admin_a,
            action="organization.update",
            target=org_a,
            before={"name": "Commune A", "signup_open": True, "report_threshold": 0.7},
            # "tags" names a reverse relation of the target: a field without a verbose name.
            after={"name": "Commune A", "signup_open": False, "report_threshold": 1234.5, "tags": [3]},
        )
        log_action(
            organization=org_a,
            user=admin_a,
            action="survey.print",
            target=org_a,
            after={"first": 1, "count": 10},
        )
        log_action(organization=org_a, user=None, action="retired.code", target=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    page = client.get("/admin/log/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    for code in ("organization.update", "survey.print", "1+10"):
        assert f">{code}<" not in page and f"<code>{code}" not in page
    assert "A modifié les réglages de l’organisation" in page
    assert "A imprimé des formulaires papier : 10, à partir du n° 1" in page
    assert "Autre changement (retired.code)" in page
    # A changed value reads in French (a field's name, yes / no, a decimal comma).
    assert "<dt>Inscriptions ouvertes</dt><dd><del>oui</del> → <ins>non</ins></dd>" in page
    assert "<del>0,7</del> → <ins>1\u00a0234,5</ins>" in page
    assert "<dt>Nom</dt>" not in page  # what did not change is not listed
    assert "<dt>Tags</dt><dd><ins>3</ins></dd>" in page
