"""Counts agree with their noun: "1 vote", "2 votes", never "1 votes".

Guards the whole kind, statically: in every template, a variable followed by a plural
noun must be the counter of a ``{% blocktranslate count %}``; in the Python code, a
translated message with a number before a plural noun must be an ``ngettext`` (the few
whose number is a constant bound above 1 are listed below, with why). The statistics
registry says each count with its own plural (checked by rendering the page with 0, 1
and 2 of each kind in the next test).
"""

import ast
import re
from pathlib import Path

import pytest

from civitas.stats.registry import all_participations

ROOT = Path(__file__).resolve().parents[2]
NOT_PLURAL = {
    "was", "has", "is", "this", "its", "as", "us", "yes", "always", "perhaps", "thus",
    "various", "previous", "news", "series", "does", "goes", "means", "whereas", "reaches",
    "invites", "holds",
}  # fmt: skip
BLOCK = re.compile(r"\{%\s*blocktranslate\b(?P<args>.*?)%\}(?P<body>.*?)\{%\s*endblocktranslate\s*%\}", re.S)
VARIABLE_THEN_WORD = re.compile(r"\{\{\s*(?P<var>[\w.]+)(?:\|[^}]*)?\s*\}\}\s*(?P<word>[A-Za-z]+)\b")
PLACEHOLDER_THEN_WORD = re.compile(r"(?:%\(\w+\)[sd]|%[sd]|\{[\w.]*\})\s+([A-Za-z]+)\b")
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "gettext_noop"}
# Messages whose number is a constant bound, never 1: a plural form would never be used.
CONSTANT_BOUNDS = {
    "the key is truncated (%(found)s of %(expected)s characters)": "a key's length is fixed",
    "the key is too long (%(found)s characters instead of %(expected)s)": "above a fixed length",
    "Your comment is too long: %(length)s characters, %(maximum)s at most.": "above a fixed maximum",
    "At most %(max_length)s characters (%(length)s given).": "schemas' text limits are constants",
    "Give between %(minimum)s and %(maximum)s grades.": "MIN_GRADES and MAX_GRADES",
    "Print between 1 and %(max)s ballots at a time.": "MAX_COPIES",
    "Print between 1 and %(max)s copies at a time.": "MAX_COPIES",
    "At most %(max)s options.": "MAX_OPTIONS",
    "At most %(count)s letters at once: split the file.": "MAX_LETTERS",
    "A code has %(count)s letters and digits, as printed on the letter.": "CODE_LENGTH",
    "The image is %(width)s×%(height)s pixels; the maximum is %(max)s×%(max)s.": "above a maximum size",
    "Reports are weighed by the reporter's standing: 1 for an account older than "
    "%(days)s days with no report judged yet, down to %(new)s for an account created "
    "today, more when moderators upheld the reporter's past reports, less when they "
    "dismissed them. Moderators are notified of the first report at once.": "FULL_WEIGHT_AFTER_DAYS",
}


def _plural(word: str) -> bool:
    word = word.lower()
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return plural and len(word) > 2 and word not in NOT_PLURAL  # "12 s" is a unit


def test_templates_count_with_blocktranslate_count():
    offenders = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        blocks = [(m.start(), m.end(), m.group("args")) for m in BLOCK.finditer(text)]
        for match in VARIABLE_THEN_WORD.finditer(text):
            if not _plural(match.group("word")):
                continue
            counters = [
                re.search(r"\bcount\s+(\w+)\s*=", args)
                for start, end, args in blocks
                if start <= match.start() < end
            ]
            if any(counter and counter.group(1) == match.group("var") for counter in counters):
                continue
            line = text[: match.start()].count("\n") + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group()}")
    assert not offenders, "a count with a fixed plural: " + "; ".join(offenders)


def test_translated_messages_count_with_ngettext():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations", "testing"} & set(path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = isinstance(node, ast.Call) and (
                getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            )
            if name not in GETTEXT:
                continue
            for argument in node.args:
                if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                    continue
                message = argument.value
                if message in CONSTANT_BOUNDS:
                    continue
                if any(_plural(word) for word in PLACEHOLDER_THEN_WORD.findall(message)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {message[:80]}")
    assert not offenders, "use ngettext: " + "; ".join(offenders)


def test_every_statistic_says_its_count_with_a_plural():
    missing = [action.key for action in all_participations() if action.counted is None]
    assert not missing, "register_participation(..., counted=ngettext_lazy(...)) for: " + ", ".join(missing)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, 2])
def test_the_statistics_page_agrees_with_each_count(client, org_a, count, monkeypatch):
    from django.core.cache import cache

    from civitas.stats import services

    cache.clear()
    keys = [action.key for action in all_participations()]
    monkeypatch.setattr(
        services,
        "action_totals",
        lambda organization, space=None: [services.ActionTotal(k, "", count) for k in keys],
    )
    page = client.get("/stats/", HTTP_HOST=org_a.host, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    items = re.findall(r"<li>([^<]*)<strong>(\d+)</strong>([^<]*)</li>", page)
    assert len(items) == len(keys) + 1  # and the participants
    for before, number, after in items[1:]:
        assert number == str(count)
        phrase = f"{before}{number}{after}"
        noun = after.split()[0] if after.strip() else before.split()[-1]
        # French: 0 and 1 take the singular, 2 the plural.
        assert noun.endswith("s") == (count > 1), phrase


@pytest.mark.django_db
def test_words_agree_with_the_noun_they_qualify(client, org_a, admin_a):
    """ "Past" is "Terminés" for spaces (espaces) and "Terminées" for meetings (réunions)."""
    from civitas.testing.participation import published_component, published_space

    space = published_space(org_a, admin_a, "Vie du quartier")
    meetings = published_component(space, admin_a, "meetings", "Réunions")
    page = client.get(meetings.get_absolute_url(), HTTP_HOST=org_a.host, HTTP_ACCEPT_LANGUAGE="fr")
    assert ">Terminées</a>" in page.content.decode()
    spaces = client.get("/spaces/", HTTP_HOST=org_a.host, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Terminés</a>" in spaces
