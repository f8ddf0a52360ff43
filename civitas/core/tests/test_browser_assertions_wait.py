"""Browser tests read the page only once it has settled.

``is_visible()``, ``inner_text()``, ``content()``, ``page.url`` or a database count read once,
at once. Right after a click that loads a page, or an htmx swap, they read the old page or
race the request: the tests passed on this machine and failed on CI's (three in one run,
then the API docs page in the next). :mod:`civitas.core.tests.browser_races` reads every
browser test module for the kind instead of waiting for the next race to be lost.
"""

from pathlib import Path

import civitas
from civitas.core.tests.browser_races import racy_assertions


def _browser_modules():
    root = Path(civitas.__file__).parent
    return sorted(root.rglob("test_browser*.py")), root


def test_browser_tests_read_the_page_only_once_it_has_settled():
    modules, root = _browser_modules()
    assert len(modules) > 20, "the scan no longer finds the browser tests"
    found = [f"{path.relative_to(root.parent)}:{line}" for path in modules for line in racy_assertions(path)]
    assert not found, (
        "a one-shot read of the page right after an action (use expect(...), wait_for_url or "
        "locator.wait_for first): " + ", ".join(found)
    )


def _scan(tmp_path, source: str) -> list[int]:
    module = tmp_path / "test_browser_example.py"
    module.write_text(source)
    return racy_assertions(module)


def test_the_scan_catches_reads_right_after_an_action(tmp_path):
    source = (
        "def _log_in(page):\n"  # 1
        "    page.get_by_label('Mot de passe').press('Enter')\n"
        "    page.wait_for_load_state()\n"
        "\n"
        "def _focused(page):\n"  # 5
        "    return page.evaluate('document.activeElement.name')\n"
        "\n"
        "def test_example(page):\n"
        "    page.goto('/')\n"
        "    assert 'Bonjour' in page.content()\n"  # 10: after goto, settled
        "    page.get_by_role('link').click()\n"
        "    assert 'Bonjour' in page.content()\n"  # 12
        "    page.get_by_role('button').click()\n"
        "    page.wait_for_load_state()\n"
        "    assert page.get_by_text('Bonjour').is_visible()\n"  # 15: the old page is loaded
        "    expect(page.get_by_text('Bonjour')).to_be_visible()\n"
        "    assert page.url.endswith('/')\n"  # 17: settled by expect
        "    page.keyboard.press('Tab')\n"
        "    assert _focused(page) == 'x'\n"  # 19: a helper that reads
        "    _log_in(page)\n"
        "    assert_accessible(page)\n"  # 21: a helper that acts, then an audit
        "    page.get_by_role('link').click()\n"
        "    page.wait_for_url('/b/')\n"
        "    assert Model.objects.count() == 1\n"  # 24: settled by wait_for_url
    )
    assert _scan(tmp_path, source) == [12, 15, 19, 21]


def test_the_scan_follows_blocks_that_wait(tmp_path):
    source = (
        "def test_example(page):\n"
        "    with page.expect_navigation():\n"
        "        page.get_by_role('button').click()\n"
        "    assert page.url.endswith('/b/')\n"  # 4: the block waited
        "    for name in ('a', 'b'):\n"
        "        page.get_by_label(name).check()\n"
        "    assert page.locator('.total').inner_text() == '2'\n"  # 7: a loop that acted
    )
    assert _scan(tmp_path, source) == [7]
