"""Sentences of the action log for majority-judgment votes (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "majority_judgment.update": _("Changed the vote's question and grades"),
        "majority_judgment.close": _("Closed the vote, opened and sealed the ballots"),
        "majority_judgment_candidate.create": _("Added a candidate"),
        "majority_judgment_candidate.delete": _("Deleted a candidate"),
        "majority_judgment.paper_print": _("Printed paper ballots: %(count)s, from no. %(first)s"),
        "majority_judgment.paper_batch_create": _("Opened a batch of paper ballots"),
        "majority_judgment.paper_batch_expected": _("Set how many ballots a paper batch holds"),
        "majority_judgment.paper_keying_delete": _("Deleted a keyed paper ballot"),
        "majority_judgment.paper_resolve": _("Chose between two keyings of a paper ballot"),
        "majority_judgment.paper_batch_count": _("Counted a batch of paper ballots"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "grades": _("grades given"),
    }
)
