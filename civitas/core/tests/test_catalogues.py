"""Every app carries its own French catalogue, and every message a source uses has its French.

The source of truth is a fresh extraction of every template and Python file (tests
excluded), so a string added, moved or reworded anywhere is seen; the rules are those of
``civitas/core/catalogues.py`` (see README, "Translations"). The second half checks the
splitting tool itself on a small tree of its own, including the merges it must survive.
"""

import shutil
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

from civitas.core import catalogues

ROOT = catalogues.ROOT


@pytest.fixture(scope="module")
def extracted():
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to read the sources' messages: apt-get install gettext")
    return catalogues.extract()


def test_every_message_has_its_french_in_its_own_catalogue_once(extracted):
    assert len(extracted) > 1500, "the extraction must see the whole code base"
    report = catalogues.split(extracted, write=False)
    assert report.problems() == [], "run: python scripts/split_catalogues.py (or add_app_messages.py)"
    assert report.written == [] and report.deleted == []


def test_each_app_keeps_the_messages_only_it_uses(extracted):
    apps_here = catalogues.app_dirs()
    held = {}
    for key, entry in extracted.items():
        home = catalogues.home_of(entry, apps_here)
        if home not in held:
            held[home] = {catalogues.key_of(found) for found in polib.pofile(str(ROOT / home))}
        assert key in held[home], f"{key[1]!r} is not in {home}"
    homes = {catalogues.home_of(entry, apps_here) for entry in extracted.values()}
    # Components included: each is whole in its folder.
    for app in ("civitas/components/proposals", "civitas/components/budgets", "civitas/accounts"):
        assert Path(app) / catalogues.CATALOGUE in homes


def _catalogues():
    return [ROOT / path for path in catalogues.existing_catalogues()]


def test_django_finds_every_catalogue_and_shows_its_french():
    """Each catalogue sits at the root of an installed app (or in LOCALE_PATHS), compiled, unshadowed."""
    installed = {Path(config.path).resolve() for config in apps.get_app_configs()}
    shared = {Path(path).resolve() for path in settings.LOCALE_PATHS}
    assert len(_catalogues()) > 20
    for path in _catalogues():
        locale_dir = path.parents[2]
        assert locale_dir in shared or locale_dir.parent in installed, f"Django never reads {path}"
        with translation.override("fr"):
            for entry in polib.pofile(str(path)).translated_entries():
                if entry.msgid_plural:
                    shown = [
                        translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
                        if entry.msgctxt
                        else translation.ngettext(entry.msgid, entry.msgid_plural, count)
                        for count in (1, 2)
                    ]
                    assert shown == [entry.msgstr_plural[0], entry.msgstr_plural[1]], (path, entry.msgid)
                else:
                    shown = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                    )
                    assert shown == entry.msgstr, (path, entry.msgid)


def test_every_catalogue_is_french_with_french_plurals_and_compiled():
    for path in _catalogues():
        catalogue = polib.pofile(str(path))
        assert catalogue.metadata["Language"] == "fr", path
        assert catalogue.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);", path
        assert "charset=UTF-8" in catalogue.metadata["Content-Type"], path
        compiled = {catalogues.key_of(entry): entry for entry in polib.mofile(str(path.with_suffix(".mo")))}
        for entry in catalogue.translated_entries():
            found = compiled.get(catalogues.key_of(entry))
            assert found is not None, f"{entry.msgid!r} not compiled in {path}: run compile_messages.py"
            assert (found.msgstr, found.msgstr_plural) == (entry.msgstr, entry.msgstr_plural), entry.msgid


# The splitting tool on a tree of its own ----------------------------------------------------

PROJECT = catalogues.PROJECT_CATALOGUE
SHOP = Path("civitas/shop") / catalogues.CATALOGUE
CARDS = Path("civitas/components/cards") / catalogues.CATALOGUE


def _entry(msgid, *paths, plural="", french="", forms=None, context=None):
    occurrences = [(path, "1") for path in paths]
    entry = polib.POEntry(msgid=msgid, msgctxt=context, msgid_plural=plural, occurrences=occurrences)
    if plural:
        entry.msgstr_plural = forms or {0: "", 1: ""}
    else:
        entry.msgstr = french
    return entry


def _write(root, path, *entries, header="Old project catalogue"):
    catalogue = polib.POFile(wrapwidth=catalogues.WRAP)
    catalogue.header = header
    catalogue.metadata = dict(catalogues.HEADER)
    catalogue.extend(entries)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(root / path))


def _read(root, path):
    return {catalogues.key_of(entry): entry for entry in polib.pofile(str(root / path))}


@pytest.fixture
def tree(tmp_path):
    for app in ("civitas/shop", "civitas/components", "civitas/components/cards"):
        (tmp_path / app).mkdir(parents=True)
        (tmp_path / app / "apps.py").write_text("")
    return tmp_path


SOURCES = {
    (None, "Basket"): _entry("Basket", "civitas/shop/views.py"),
    (None, "Card"): _entry("Card", "civitas/components/cards/models.py"),
    (None, "Deck"): _entry("Deck", "civitas/templates/shop/deck.html"),
    (None, "Save"): _entry("Save", "civitas/shop/forms.py", "civitas/components/cards/forms.py"),
    (None, "Home"): _entry("Home", "civitas/templates/base.html"),
    (None, "%(n)s card"): _entry("%(n)s card", "civitas/components/cards/views.py", plural="%(n)s cards"),
    ("verb", "Open"): _entry("Open", "civitas/shop/views.py", context="verb"),
}


def _split(root, **options):
    return catalogues.split(SOURCES, root=root, order=[PROJECT, SHOP, CARDS], **options)


def _start(root):
    _write(
        root,
        PROJECT,
        _entry("Basket", "civitas/shop/views.py", french="Panier"),
        _entry("Card", "civitas/components/cards/models.py", french="Carte"),
        _entry("Deck", "civitas/templates/shop/deck.html", french="Paquet"),
        _entry("Save", "civitas/shop/forms.py", french="Enregistrer"),
        _entry("Home", "civitas/templates/base.html", french="Accueil"),
        _entry("%(n)s card", "x.py", plural="%(n)s cards", forms={0: "%(n)s carte", 1: "%(n)s cartes"}),
        _entry("Open", "civitas/shop/views.py", french="Ouvrir", context="verb"),
        _entry("Gone", "civitas/shop/old.py", french="Parti"),
    )


def test_split_moves_each_message_to_the_app_that_uses_it_and_keeps_shared_ones(tree):
    _start(tree)
    report = _split(tree)
    shop, cards, project = _read(tree, SHOP), _read(tree, CARDS), _read(tree, PROJECT)
    assert {key: entry.msgstr for key, entry in shop.items()} == {
        (None, "Basket"): "Panier",
        (None, "Deck"): "Paquet",  # a project template under templates/<app label>/ belongs to that app
        ("verb", "Open"): "Ouvrir",
    }
    assert set(cards) == {(None, "Card"), (None, "%(n)s card")}
    assert cards[(None, "%(n)s card")].msgstr_plural == {0: "%(n)s carte", 1: "%(n)s cartes"}
    assert cards[(None, "%(n)s card")].occurrences == [("civitas/components/cards/views.py", "1")]
    assert set(project) == {(None, "Save"), (None, "Home")}  # several apps, or no app
    assert report.unused_dropped == ["'Gone' (civitas/locale/fr/LC_MESSAGES/django.po)"]
    assert len(report.moved) == 5 and report.untranslated == []
    new = polib.pofile(str(tree / CARDS))
    assert new.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert "French catalogue of civitas/components/cards" in new.header
    assert not (tree / "civitas/components" / catalogues.CATALOGUE).exists()


def test_split_drops_obsolete_entries_and_keeps_stray_comments(tree):
    _start(tree)
    with (tree / PROJECT).open("a", encoding="utf-8") as handle:
        handle.write('\n# A note left by a translator.\n\n#~ msgid "Old"\n#~ msgstr "Ancien"\n')
    report = _split(tree)
    text = (tree / PROJECT).read_text()
    assert "Ancien" not in text and "# A note left by a translator." in text
    assert "'Old' (civitas/locale/fr/LC_MESSAGES/django.po)" in report.unused_dropped


def test_split_run_again_changes_nothing(tree):
    _start(tree)
    _split(tree)
    before = {path: (tree / path).read_bytes() for path in (PROJECT, SHOP, CARDS)}
    again = _split(tree)
    assert again.problems() == [] and again.written == []
    assert {path: (tree / path).read_bytes() for path in (PROJECT, SHOP, CARDS)} == before


def test_split_after_a_merge_that_still_appends_to_the_project_catalogue(tree):
    """A branch merged later: its new string, an edited French, and lines the union merge brought back."""
    _start(tree)
    _split(tree)
    untouched = (tree / CARDS).read_text()
    project = polib.pofile(str(tree / PROJECT))
    project.append(_entry("Basket", "civitas/shop/views.py", french="Panier"))  # brought back as it was
    project.append(_entry("Open", "civitas/shop/views.py", french="Ouvre", context="verb"))  # edited there
    project.append(_entry("Checkout", "civitas/shop/views.py", french="Paiement"))  # new
    project.save()
    sources = {**SOURCES, (None, "Checkout"): _entry("Checkout", "civitas/shop/views.py")}
    report = catalogues.split(sources, root=tree, order=[PROJECT, SHOP, CARDS])
    shop = _read(tree, SHOP)
    assert shop[(None, "Checkout")].msgstr == "Paiement"
    assert shop[("verb", "Open")].msgstr == "Ouvre"  # the French readers saw (LOCALE_PATHS comes first)
    assert shop[(None, "Basket")].msgstr == "Panier"
    assert set(_read(tree, PROJECT)) == {(None, "Save"), (None, "Home")}
    assert (tree / CARDS).read_text() == untouched  # catalogues with nothing to do are not rewritten
    assert report.retranslated == ["[verb] 'Open' (civitas/shop/locale/fr/LC_MESSAGES/django.po)"]
    shop_text = (tree / SHOP).read_text()
    assert shop_text.index('msgid "Basket"') < shop_text.index('msgid "Checkout"')  # appended, not re-sorted


def test_split_follows_code_that_moves_and_reports_missing_french(tree):
    _start(tree)
    _split(tree)
    moved = {
        **SOURCES,
        (None, "Card"): _entry("Card", "civitas/shop/cards.py"),
        (None, "New"): _entry("New", "civitas/components/cards/views.py"),
        (None, "%(n)s new"): _entry("%(n)s new", "civitas/components/cards/views.py", plural="%(n)s new"),
    }
    check = catalogues.split(moved, root=tree, order=[PROJECT, SHOP, CARDS], write=False)
    assert f"not in its own catalogue: 'Card' ({SHOP})" in check.problems()
    assert f"no French: 'New' ({CARDS})" in check.problems()
    assert _read(tree, SHOP).get((None, "Card")) is None  # a dry run writes nothing
    given = {(None, "New"): _entry("New", french="Nouveau")}
    report = catalogues.split(moved, root=tree, order=[PROJECT, SHOP, CARDS], extra_french=given)
    assert _read(tree, SHOP)[(None, "Card")].msgstr == "Carte"
    assert _read(tree, CARDS)[(None, "New")].msgstr == "Nouveau"
    assert (None, "Card") not in _read(tree, CARDS)
    assert report.untranslated == ["'%(n)s new' (civitas/components/cards/locale/fr/LC_MESSAGES/django.po)"]
    assert _read(tree, CARDS)[(None, "%(n)s new")].msgstr_plural == {0: "", 1: ""}
