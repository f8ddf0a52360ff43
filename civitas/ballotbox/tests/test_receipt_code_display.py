"""A receipt code looks the same wherever it is shown, and stays on one line (the browser
tests check it at 320 px with civitas.testing.browser.assert_receipt_code_readable).

The whole kind: every template that shows a voter's receipt code (votes, consultations,
petitions, and any added later) must show it through ``ballotbox/_receipt_code.html``,
in the receipt box ``ballotbox/_receipt_box.html`` or on its own.
"""

import re
from pathlib import Path

from django.template.loader import render_to_string

import civitas
from civitas.sealing.receipts import new_receipt_code

# Where a template names a receipt code: the receipt's attribute, the view's context
# variable, or the element the checks and screen readers find it by.
CODE_SHOWN = re.compile(r"receipt\.code\b|\breceipt_code\b|id=\"receipt-code\"")
THROUGH_THE_INCLUDE = re.compile(
    r'\{% include "ballotbox/_receipt_(?:code|box)\.html" with code=[\w.]+[^%]*%\}'
)
SHARED = Path(civitas.__file__).parent / "ballotbox/templates/ballotbox"
THE_INCLUDES = {SHARED / "_receipt_code.html", SHARED / "_receipt_box.html"}


def test_the_shared_template_shows_the_code_readable_by_text_and_untranslated():
    code = new_receipt_code()
    html = render_to_string("ballotbox/_receipt_code.html", {"code": code})
    assert 'id="receipt-code"' in html and 'translate="no"' in html
    assert f'id="receipt-code">{code}</code>' in html  # in one piece: copied, read aloud, searched


def test_every_template_that_shows_a_receipt_code_shows_it_through_the_shared_template():
    templates = [
        path
        for path in Path(civitas.__file__).parent.rglob("templates/**/*.html")
        if path not in THE_INCLUDES and "/tests/" not in str(path)
    ]
    showing, elsewhere = [], []
    for path in templates:
        text = path.read_text()
        if not CODE_SHOWN.search(text):
            continue
        showing.append(path.name)
        for line in text.splitlines():
            if CODE_SHOWN.search(THROUGH_THE_INCLUDE.sub("", line)):
                elsewhere.append(f"{path}: {line.strip()}")
    # The four receipts that exist today are found (the scan itself works).
    assert {"confirmed.html", "receipt.html", "voted.html", "signed.html"} <= set(showing)
    assert not elsewhere, "\n".join(elsewhere)
