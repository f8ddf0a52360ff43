"""The majority-judgment component's share of a user's GDPR export.

A voter gets that they voted in an election, never their grades: the ballot is stored
without any link to the account, by design. Staff get the paper print runs and ballot
boxes they created and the ballots they keyed, by serial number, without the grades.
"""

from civitas.components.majority_judgment.models import PaperBatch, PaperKeying, PaperPrintRun, Participation
from civitas.core.gdpr import iso, register_export


def _election(election) -> dict:
    component = election.component
    return {
        "space": component.space.title,
        "vote": election.question or component.name,
        "url": component.get_absolute_url(),
    }


@register_export("majority_judgment_votes", covers=[(Participation, "user")])
def export_participations(user) -> list[dict]:
    participations = Participation.objects.filter(user=user).select_related("election__component__space")
    # No date: the participation row has none, so that it cannot be paired with the ballot's day.
    return [{**_election(participation.election), "voted": True} for participation in participations]


@register_export("majority_judgment_print_runs", covers=[(PaperPrintRun, "created_by")])
def export_print_runs(user) -> list[dict]:
    runs = PaperPrintRun.objects.filter(created_by=user).select_related("election__component__space")
    return [
        {
            **_election(run.election),
            "first_serial": run.first,
            "last_serial": run.first + run.count - 1,
            "ballots": run.count,
            "created_at": iso(run.created_at),
        }
        for run in runs.order_by("created_at", "pk")
    ]


@register_export("majority_judgment_batches", covers=[(PaperBatch, "created_by")])
def export_batches(user) -> list[dict]:
    batches = PaperBatch.objects.filter(created_by=user).select_related("election__component__space")
    return [
        {
            **_election(batch.election),
            "batch": batch.label,
            "ballots_in_the_box": batch.expected_count,
            "created_at": iso(batch.created_at),
            "counted_at": iso(batch.counted_at),
            "ballots_counted": batch.counted_ballots,
        }
        for batch in batches.order_by("created_at", "pk")
    ]


@register_export("majority_judgment_ballots_keyed", covers=[(PaperKeying, "keyed_by")])
def export_keyings(user) -> list[dict]:
    keyings = PaperKeying.objects.filter(keyed_by=user).select_related("batch__election__component__space")
    return [
        {
            **_election(keying.batch.election),
            "batch": keying.batch.label,
            "serial": keying.serial,
            "keyed_at": iso(keying.created_at),
        }
        for keying in keyings.order_by("created_at", "pk")
    ]
