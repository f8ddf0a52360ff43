"""Sentences of the action log for proposals (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "proposal.answer_save": _("Wrote the answer to a proposal"),
        "proposal.answer_publish": _("Published the answer to a proposal"),
        "proposal.answers_publish_batch": _("Published the answers waiting to be published"),
        "proposal.custom_state_add": _("Added a state for proposals"),
        "proposal.evaluators_assign": _("Chose who evaluates a proposal"),
        "proposal.note_add": _("Added an evaluation note to a proposal"),
    }
)
