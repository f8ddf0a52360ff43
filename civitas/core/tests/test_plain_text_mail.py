"""E-mail subjects and text bodies are plain text: never HTML-escaped.

An outside try found "Inscrit : Balade urbaine : les chemins de l&#x27;école" in a subject:
plain-text templates were rendered by the HTML engine, which escapes every variable. They
go through the plain-text engine (``civitas.core.mail.render_text``); the HTML body stays
escaped.
"""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail

from civitas.core.mail import send_email_after_commit

ROOT = Path(__file__).resolve().parents[3]
TITLE = "Balade : les chemins de l'école & du <parc>"


@pytest.mark.django_db
def test_subject_and_text_body_keep_what_was_written_and_the_html_body_escapes_it(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = SimpleNamespace(title=TITLE, start_time=None)
    context = {"meeting": meeting, "user": SimpleNamespace(name="Zoé d'Alençon"), "registration": None}
    with django_capture_on_commit_callbacks(execute=True):
        send_email_after_commit(
            to="zoe@example.org", template="meetings/email/registered", context=context, locale="fr"
        )
    [message] = mail.outbox
    assert message.subject == f"Inscrit : {TITLE}"
    assert TITLE in message.body and "Zoé d'Alençon" in message.body
    html = message.alternatives[0][0]
    assert "l&#x27;école &amp; du &lt;parc&gt;" in html and "<parc>" not in html


def _text_templates_rendered_as_html(path: Path) -> list[str]:
    """``render_to_string("….txt", …)`` calls that do not name the plain-text engine."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        if name != "render_to_string" or not node.args:
            continue
        template = node.args[0]
        literal = template.value if isinstance(template, ast.Constant) else None
        text = isinstance(literal, str) and literal.endswith(".txt")
        if isinstance(template, ast.JoinedStr):  # f"{template}.txt"
            tail = template.values[-1]
            text = isinstance(tail, ast.Constant) and str(tail.value).endswith(".txt")
        if text and not any(keyword.arg == "using" for keyword in node.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_plain_text_template_is_rendered_by_the_html_engine():
    sources = [path for path in (ROOT / "civitas").rglob("*.py") if "tests" not in path.parts]
    assert len(sources) > 300  # the code base, not an empty folder
    offenders = [where for path in sources for where in _text_templates_rendered_as_html(path)]
    assert offenders == []
