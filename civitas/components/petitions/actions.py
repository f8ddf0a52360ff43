"""Sentences of the action log for petitions (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "petition.publish": _("Published a petition"),
        "petition.decline": _("Declined a petition"),
        "petition.answer": _("Published the institution's answer to a petition"),
        "petition.paper_batch_create": _("Opened a batch of paper signatures"),
        "petition.paper_batch_count": _("Counted a batch of paper signatures"),
        "petition.counters_corrected": _("Set a petition's live count back to the signatures stored"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "answer_threshold": _("signatures needed for an answer"),
        "answered_at": _("answered on"),
        "debate_threshold": _("signatures needed for a debate"),
        "published_on": _("published on"),
        "reviewed_by": _("reviewed by"),
        "submitted_at": _("submitted on"),
        "threshold_reached_on": _("threshold reached on"),
    }
)
