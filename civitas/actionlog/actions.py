"""Names of the keys many apps' records carry, for the action log's before / after details.

A key that only one app logs is named in that app's ``actions.py``; see ``register_details``.
"""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_details

register_details(
    {
        "active_phase": _("current phase"),
        "answer": _("answer"),
        "answers": _("answers"),
        "author": _("author"),
        "ballots": _("ballots"),
        "batch": _("batch"),
        "budget": _("budget"),
        "colour": _("colour"),
        "comment_count": _("number of comments"),
        "component": _("component"),
        "count": _("number"),
        "counted": _("counted"),
        "duplicates": _("duplicates"),
        "election": _("vote"),
        "evaluators": _("evaluators"),
        "expected_count": _("number of ballots in the box"),
        "first": _("first number"),
        "form": _("form number"),
        "format": _("format"),
        "hidden_at": _("hidden on"),
        "kept": _("keying kept"),
        "keyed_by": _("keyed by"),
        "keyers": _("keyed by"),
        "label": _("name"),
        "name": _("name"),
        "note": _("note"),
        "order": _("order"),
        "organization": _("organization"),
        "payload": _("what was keyed"),
        "phase_settings": _("settings of each phase"),
        "position": _("position in the list"),
        "project": _("project"),
        "proposal": _("proposal"),
        "proposals": _("proposals"),
        "published": _("published"),
        "published_at": _("published on"),
        "question": _("question"),
        "reason": _("reason"),
        "requirements": _("verifications required"),
        "result": _("result"),
        "seal": _("seal"),
        "serial": _("serial number"),
        "settings": _("settings"),
        "space": _("space"),
        "state": _("state"),
        "status": _("status"),
        "survey": _("questionnaire"),
        "uncounted_batches": _("batches not counted"),
        "user": _("person"),
        "values": _("values"),
        "channel": _("channel"),
        "closed_at": _("closed on"),
        "id": _("identifier"),
    }
)
