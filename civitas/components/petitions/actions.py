"""Sentences of the action log for petitions (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

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
