"""Sentences of the action log for proposals (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details
from civitas.components.proposals.models import Proposal

register_actions(
    {
        "proposal.answer_save": _("Wrote the answer to a proposal"),
        "proposal.answer_publish": _("Published the answer to a proposal"),
        "proposal.answers_publish_batch": _("Published the answers waiting to be published"),
        "proposal.custom_state_add": _("Added a state for proposals"),
        "proposal.evaluators_assign": _("Chose who evaluates a proposal"),
        "proposal.note_add": _("Added an evaluation note to a proposal"),
        "proposal.merge": _("Merged proposals into a new one"),
        "proposal.split": _("Split a proposal into new ones"),
        "proposal.import_component": _("Imported proposals from another component"),
        "proposal.import_meeting": _("Published proposals from a meeting's conclusions"),
    }
)
register_details(
    {
        "result_title": _("title of the new proposal"),
        "originals": _("merged proposals (numbers)"),
        "supporters": _("distinct supporters carried over"),
        "parts": _("new proposals (numbers)"),
        "source_component": _("component imported from"),
        "imported_states": _("states imported"),
        "keep_authors": _("authors kept"),
        "imported": _("proposals created (numbers)"),
        "meeting_title": _("meeting"),
    },
    values={"imported_states": {state.value: state.label for state in Proposal.State}},
)
