"""The kinds of notification and their sentence, rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "phase_opened": _("A new phase opened in “%(space)s”: %(target)s."),
}


def register_kind(kind: str, sentence) -> None:
    """Components add their own kinds (a proposal answered, a comment reply…)."""
    SENTENCES[kind] = sentence


def render(kind: str, params: dict) -> str:
    sentence = SENTENCES.get(kind)
    if sentence is None:
        return params.get("target", "")
    try:
        return str(sentence) % params
    except (KeyError, TypeError, ValueError):
        return str(sentence)
