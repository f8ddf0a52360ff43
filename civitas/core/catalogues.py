"""One French catalogue per app: where each message lives, and the tool that puts it there.

The rule (see README, "Translations"):

- A message used by the source files of one app only (its Python, its templates, and the
  project templates under ``civitas/templates/<app label>/``) lives in that app's own
  catalogue, ``<app>/locale/fr/LC_MESSAGES/django.po``. An app is the folder of an
  installed app (or any folder with an ``apps.py``); the deepest one holding the file
  owns it (``civitas/components/budgets``, not ``civitas/components``).
- A message used by several apps, or by files that belong to no app (the base layout,
  error pages, e-mail layout, ``settings.py``), lives in the shared project catalogue,
  ``civitas/locale/fr/LC_MESSAGES/django.po`` (``LOCALE_PATHS``). It is the lowest layer
  every app can rely on: removing an app from ``INSTALLED_APPS`` never takes a string
  another app needs with it.
- Each message lives in exactly one catalogue. Django merges every catalogue into one
  table, ``LOCALE_PATHS`` first, then the apps in ``INSTALLED_APPS`` order; with one copy
  of each message that order never decides anything.
- No catalogue keeps a message that no source uses any more (tests excluded: a test
  that translates a string checks the app's own).

``split()`` brings the catalogues to that state from whatever they hold, and can run any
number of times: a message found in a wrong catalogue (the project catalogue that older
branches still append to, an app whose file moved) moves home; a copy in a second
catalogue is dropped; when two copies disagree, the one Django shows today (the first in
the order above) is kept, so the split never changes what a reader sees. Entries already
at home stay byte for byte where they are; moved and new entries are appended at the end,
so that ``.po`` files keep merging by union.

This is development tooling (``scripts/split_catalogues.py``, ``scripts/add_app_messages.py``
and the catalogue tests use it; it needs polib and GNU gettext); the running platform
never imports it.

Which source uses which message comes from a fresh extraction (Django's ``makemessages``,
GNU gettext's ``xgettext``) over a copy of the tree, never from the ``#:`` lines of the
catalogues, which go stale when code moves.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib

LANGUAGE = "fr"
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale") / LANGUAGE / "LC_MESSAGES" / "django.po"
PROJECT_CATALOGUE = Path("civitas") / CATALOGUE
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
# Tests and their helpers use the apps' strings; they never make a string needed.
NOT_SOURCE = {"tests", "testing", "locale", "static", "migrations", "__pycache__"}
HEADER = {
    "Project-Id-Version": "Civitas",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "Civitas contributors",
    "Language-Team": "French",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n > 1);",
}
WRAP = 79

Key = tuple[str | None, str]


def key_of(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def is_plural(entry: polib.POEntry) -> bool:
    return bool(entry.msgid_plural)


def is_translated(entry: polib.POEntry, plural: bool) -> bool:
    """French present, not fuzzy, and of the shape the source asks for (plural or not)."""
    if "fuzzy" in entry.flags or entry.obsolete or is_plural(entry) != plural:
        return False
    if plural:
        forms = entry.msgstr_plural
        return len(forms) == 2 and all(forms.get(index) for index in (0, 1))
    return bool(entry.msgstr)


# Extraction ---------------------------------------------------------------------------


def _copy_sources(root: Path, destination: Path) -> None:
    for path in (root / "civitas").rglob("*"):
        relative = path.relative_to(root)
        if path.suffix in SOURCE_SUFFIXES and not NOT_SOURCE & set(relative.parts) and path.is_file():
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def extract(root: Path = ROOT) -> dict[Key, polib.POEntry]:
    """Every message the sources of ``root`` use, with occurrences relative to ``root``.

    Runs ``makemessages`` (so the same keywords, template syntax and plural handling as
    Django's own tool) on a copy of the sources, so that the tree itself is never written
    to, and with one scratch catalogue for all files, so that every occurrence is seen.
    Needs GNU gettext (``apt-get install gettext``) and configured Django settings.
    """
    from django.core.management import call_command
    from django.core.management.commands import makemessages

    with tempfile.TemporaryDirectory(prefix="civitas-messages-") as scratch_dir:
        scratch = Path(scratch_dir)
        copy, pot_dir = scratch / "tree", scratch / "pot"
        pot_dir.mkdir()
        _copy_sources(root, copy)
        result: dict[str, polib.POFile] = {}

        class Extract(makemessages.Command):
            def find_files(self, _root):
                files = super().find_files(str(copy))
                for translatable in files:
                    translatable.locale_dir = str(pot_dir)
                self.locale_paths = [str(pot_dir)]
                return files

            def write_po_file(self, potfile, locale):
                result["pot"] = polib.pofile(potfile, wrapwidth=WRAP)

        call_command(Extract(), locale=[LANGUAGE], verbosity=0)
        prefix = str(copy) + "/"
        messages = {}
        for entry in result["pot"]:
            entry.occurrences = [(path.removeprefix(prefix), line) for path, line in entry.occurrences]
            messages[key_of(entry)] = entry
        return messages


# Where a message lives -----------------------------------------------------------------


def app_dirs(root: Path = ROOT) -> frozenset[Path]:
    """The app folders under ``root``: every installed app, and any folder with an ``apps.py``."""
    from django.apps import apps

    found = {path.parent.relative_to(root) for path in (root / "civitas").rglob("apps.py")}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root):
            found.add(path.relative_to(root))
    return frozenset(found)


def app_dir_of(source: str, apps_here: frozenset[Path]) -> Path | None:
    """The app folder that owns a source file (the deepest holding it), or None for shared files."""
    parts = Path(source).parts
    if parts[:2] == ("civitas", "templates") and len(parts) > 3:
        candidate = Path("civitas", parts[2])
        return candidate if candidate in apps_here else None
    for depth in range(len(parts) - 1, 0, -1):
        if (candidate := Path(*parts[:depth])) in apps_here:
            return candidate
    return None


def home_of(entry: polib.POEntry, apps_here: frozenset[Path]) -> Path:
    """The catalogue (relative to the root) a message belongs in."""
    owners = {app_dir_of(path, apps_here) for path, _line in entry.occurrences}
    if len(owners) == 1 and None not in owners:
        return owners.pop() / CATALOGUE
    return PROJECT_CATALOGUE


def precedence(root: Path = ROOT) -> list[Path]:
    """Catalogues in the order Django looks them up: LOCALE_PATHS, then INSTALLED_APPS."""
    from django.apps import apps
    from django.conf import settings

    order = [Path(path).resolve() / LANGUAGE / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS]
    order += [Path(config.path).resolve() / CATALOGUE for config in apps.get_app_configs()]
    return [path.relative_to(root) for path in order if path.is_relative_to(root)]


def existing_catalogues(root: Path = ROOT) -> list[Path]:
    return sorted(path.relative_to(root) for path in root.glob(f"civitas/**/{CATALOGUE}"))


# Catalogue files as text ------------------------------------------------------------------


@dataclass
class Block:
    """One entry of a catalogue as written in the file (comments included)."""

    text: str
    entry: polib.POEntry | None  # None: the header, or a stray comment

    @property
    def key(self) -> Key | None:
        return key_of(self.entry) if self.entry is not None and not self.entry.obsolete else None


@dataclass
class CatalogueFile:
    path: Path
    header: str
    blocks: list[Block]
    changed: bool = False

    @classmethod
    def read(cls, path: Path, description: str) -> CatalogueFile:
        if not path.exists():
            return cls(path, _new_header(description), [], changed=True)
        text = path.read_text(encoding="utf-8")
        chunks = [chunk for chunk in re.split(r"\n(?:[ \t]*\n)+", text.strip("\n")) if chunk.strip()]
        header, blocks = "", []
        for chunk in chunks:
            entries = list(polib.pofile(chunk + "\n", wrapwidth=WRAP))
            if not entries and not header and re.search(r'^msgid ""$', chunk, re.MULTILINE):
                header = chunk
            elif len(entries) == 1:
                blocks.append(Block(chunk, entries[0]))
            elif entries:  # two entries without a blank line between them (a careless merge)
                blocks.extend(Block(render(entry), entry) for entry in entries)
            else:
                blocks.append(Block(chunk, None))
        return cls(path, header or _new_header(description), blocks, changed=not header)

    def text(self) -> str:
        return "\n\n".join([self.header, *(block.text for block in self.blocks)]) + "\n"

    def entries(self) -> list[polib.POEntry]:
        return [block.entry for block in self.blocks if block.key is not None]


def _new_header(description: str) -> str:
    metadata = polib.POFile(wrapwidth=WRAP)
    metadata.header = description
    metadata.metadata = dict(HEADER)
    return str(metadata).strip("\n")


def render(entry: polib.POEntry) -> str:
    return entry.__unicode__(wrapwidth=WRAP).rstrip("\n")


def describe(catalogue: Path) -> str:
    if catalogue == PROJECT_CATALOGUE:
        return "Shared French catalogue: messages used by several apps or by no app in particular."
    app = catalogue.parent.parent.parent.parent
    return (
        f"French catalogue of {app.as_posix()}: the messages only this app uses.\n"
        "Kept by scripts/split_catalogues.py (see README, Translations)."
    )


# The split ------------------------------------------------------------------------------


@dataclass
class Report:
    moved: list[str] = field(default_factory=list)
    duplicates_dropped: list[str] = field(default_factory=list)
    retranslated: list[str] = field(default_factory=list)
    unused_dropped: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    deleted: list[Path] = field(default_factory=list)

    def lines(self, written: bool = True) -> list[str]:
        sections = [
            ("moved to their app's catalogue", self.moved),
            ("second copies dropped", self.duplicates_dropped),
            ("French taken from the copy Django showed", self.retranslated),
            ("no longer used by any source, dropped", self.unused_dropped),
            ("without French yet", self.untranslated),
        ]
        lines = [f"{len(items)} {title}" for title, items in sections if items]
        wrote, deleted = ("wrote", "deleted") if written else ("would write", "would delete")
        lines += [f"{wrote} {path}" for path in self.written] + [f"{deleted} {path}" for path in self.deleted]
        return lines

    def problems(self) -> list[str]:
        """What is wrong with the catalogues as they are (a dry run found something to do)."""
        return [
            *(f"not in its own catalogue: {item}" for item in self.moved),
            *(f"in two catalogues: {item}" for item in self.duplicates_dropped),
            *(f"French differs between catalogues: {item}" for item in self.retranslated),
            *(f"no source uses it: {item}" for item in self.unused_dropped),
            *(f"no French: {item}" for item in self.untranslated),
        ]


def _label(key: Key, where: Path) -> str:
    context = f"[{key[0]}] " if key[0] else ""
    return f"{context}{key[1]!r} ({where})"


def _fresh_entry(source: polib.POEntry, french: polib.POEntry | None) -> polib.POEntry:
    """The extracted entry (occurrences, flags, comments) carrying the chosen French."""
    entry = polib.POEntry(
        msgid=source.msgid,
        msgctxt=source.msgctxt,
        msgid_plural=source.msgid_plural,
        occurrences=sorted(source.occurrences, key=lambda item: (item[0], int(item[1] or 0))),
        flags=[flag for flag in source.flags if flag != "fuzzy"],
        comment=source.comment,
    )
    if french is not None:
        entry.tcomment = french.tcomment
        if french.msgid_plural and source.msgid_plural:
            entry.msgstr_plural = dict(french.msgstr_plural)
        elif not french.msgid_plural and not source.msgid_plural:
            entry.msgstr = french.msgstr
        if "fuzzy" in french.flags:
            entry.flags.append("fuzzy")
    elif source.msgid_plural:
        entry.msgstr_plural = {0: "", 1: ""}
    return entry


def _first_occurrence(entry: polib.POEntry) -> tuple[str, int]:
    path, line = entry.occurrences[0] if entry.occurrences else ("", "0")
    return (path, int(line or 0))


def _same_french(one: polib.POEntry, other: polib.POEntry) -> bool:
    return (one.msgstr, dict(one.msgstr_plural), "fuzzy" in one.flags) == (
        other.msgstr,
        dict(other.msgstr_plural),
        "fuzzy" in other.flags,
    )


def split(
    messages: Mapping[Key, polib.POEntry],
    root: Path = ROOT,
    order: Iterable[Path] | None = None,
    extra_french: Mapping[Key, polib.POEntry] | None = None,
    write: bool = True,
) -> Report:
    """Put every message of ``messages`` in its home catalogue, once, and nothing else anywhere.

    ``order``: catalogues in Django's lookup order (the first copy is the one readers see).
    ``extra_french``: translations for messages that have none yet (``add_app_messages``).
    With ``write=False`` nothing is written: the report says what would change.
    """
    order = list(precedence(root) if order is None else order)
    apps_here = app_dirs(root)
    homes = {key: home_of(entry, apps_here) for key, entry in messages.items()}
    paths = sorted(set(existing_catalogues(root)) | set(homes.values()))
    rank = {path: index for index, path in enumerate(order)}
    # Lookup order first; catalogues Django would not load (an app left out of
    # INSTALLED_APPS) after, so their French is taken only when no other exists.
    paths.sort(key=lambda path: (rank.get(path, len(rank)), str(path)))
    files = {path: CatalogueFile.read(root / path, describe(path)) for path in paths}
    report = Report()

    copies: dict[Key, list[tuple[Path, int]]] = {}
    for path, catalogue in files.items():
        for index, block in enumerate(catalogue.blocks):
            if block.key is not None:
                copies.setdefault(block.key, []).append((path, index))

    dropped: dict[Path, set[int]] = {path: set() for path in files}
    appended: dict[Path, list[polib.POEntry]] = {path: [] for path in files}
    for key, places in copies.items():
        if key not in messages:
            for path, index in places:
                dropped[path].add(index)
                report.unused_dropped.append(_label(key, path))
    for path, catalogue in files.items():  # "#~" entries: kept by msgmerge, read by nobody
        for index, block in enumerate(catalogue.blocks):
            if block.entry is not None and block.entry.obsolete:
                dropped[path].add(index)
                report.unused_dropped.append(_label(key_of(block.entry), path))

    for key, source in sorted(messages.items(), key=lambda item: _first_occurrence(item[1])):
        home, plural = homes[key], is_plural(source)
        places = copies.get(key, [])
        entry_at = {place: files[place[0]].blocks[place[1]].entry for place in places}
        translated = [place for place in places if is_translated(entry_at[place], plural)]
        # The French readers see today; else the one given; else a fuzzy or old-shaped copy as a hint.
        origin = translated[0] if translated else None
        french = entry_at[origin] if origin else None
        if french is None and extra_french and key in extra_french:
            french = extra_french[key]
        if french is None and places:
            origin = places[0]
            french = entry_at[origin]
        keep = next(
            (
                place
                for place in places
                if place[0] == home
                and is_plural(entry_at[place]) == plural
                and _same_french(entry_at[place], french)
            ),
            None,
        )
        for place in places:
            if place == keep:
                continue
            dropped[place[0]].add(place[1])
            if keep is None and place == origin and place[0] != home:
                report.moved.append(_label(key, home))
            elif keep is None and place[0] == home and place == next(p for p in places if p[0] == home):
                report.retranslated.append(_label(key, home))
            else:
                report.duplicates_dropped.append(_label(key, place[0]))
        final = entry_at[keep] if keep else _fresh_entry(source, french)
        if keep is None:
            appended[home].append(final)
        if not is_translated(final, plural):
            report.untranslated.append(_label(key, home))

    for path, catalogue in files.items():
        if dropped[path] or appended[path]:
            catalogue.blocks = [
                block for index, block in enumerate(catalogue.blocks) if index not in dropped[path]
            ]
            catalogue.blocks += [Block(render(entry), entry) for entry in appended[path]]
            catalogue.changed = True
        target = root / path
        if path != PROJECT_CATALOGUE and not catalogue.entries():
            if target.exists():
                report.deleted.append(path)
                if write:
                    target.unlink()
                    target.with_suffix(".mo").unlink(missing_ok=True)
            continue
        if catalogue.changed:
            report.written.append(path)
            if write:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(catalogue.text(), encoding="utf-8")
    return report


def compile_all(root: Path = ROOT) -> list[Path]:
    """Write each catalogue's ``.mo`` beside it (polib: no system gettext needed to compile)."""
    compiled = []
    for path in existing_catalogues(root):
        polib.pofile(str(root / path)).save_as_mofile(str((root / path).with_suffix(".mo")))
        compiled.append(path)
    return compiled
