"""The README stands alone: every setting is documented, every relative link leads somewhere
inside the repository."""

import ast
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list"}
# [text](target) — not images' alt text subtleties, which these files do not use.
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
EXTERNAL = ("http://", "https://", "mailto:")


def _variables_read_by(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ENV_READERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
    return names


def _configuration_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Configuration")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_settings_read_variables():
    names = _variables_read_by(ROOT / "civitas" / "settings.py")
    assert {"SECRET_KEY", "DATABASE_URL", "CIVITAS_LOG_LEVEL"} <= names


def test_every_variable_settings_reads_is_in_the_readme_configuration_table():
    section = _configuration_section()
    missing = sorted(
        name for name in _variables_read_by(ROOT / "civitas" / "settings.py") if f"`{name}`" not in section
    )
    assert missing == [], (
        f"read by civitas/settings.py, not documented in the README's Configuration: {missing}"
    )


def test_every_variable_make_run_reads_is_in_the_readme():
    script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*):-", script))
    assert "CIVITAS_BIND" in names
    readme = README.read_text(encoding="utf-8")
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def _documents() -> list[Path]:
    listed = subprocess.run(  # noqa: S603
        ["git", "ls-files", "*.md"],  # noqa: S607 (git from PATH, as the developer runs it)
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    found = {ROOT / name for name in listed} | set((ROOT / "docs").glob("**/*.md")) | {README}
    return sorted(path for path in found if path.exists())


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _relative_links(path: Path):
    return _relative_links_of(re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL))


def test_the_readme_and_the_docs_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in _documents()}
    assert {"README.md", "docs/design.md", "bench/README.md"} <= names


@pytest.mark.parametrize("document", _documents(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves_inside_the_repository(document):
    broken = []
    for target in _relative_links(document):
        file_part, _hash, anchor = target.partition("#")
        destination = (document.parent / file_part).resolve() if file_part else document
        if not destination.is_relative_to(ROOT):
            broken.append(f"{target}: outside the repository")
        elif not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            broken.append(f"{target}: no heading with that anchor")
    assert broken == [], f"{document.relative_to(ROOT)}: {broken}"


def test_the_link_check_catches_a_link_outside_the_repository():
    assert list(_relative_links_of("see [design](../shared/DESIGN.md) and [x](https://example.org)")) == [
        "../shared/DESIGN.md"
    ]
    assert not (README.parent / "../shared/DESIGN.md").resolve().is_relative_to(ROOT)
    assert _anchor("The CAPTCHA: what it stops and what it does not") == (
        "the-captcha-what-it-stops-and-what-it-does-not"
    )


def _relative_links_of(text: str):
    return (target for target in MARKDOWN_LINK.findall(text) if not target.startswith(EXTERNAL))
