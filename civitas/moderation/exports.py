"""The moderation app's share of a user's GDPR export: reports made, blocks received and made."""

from civitas.core.gdpr import iso, register_export
from civitas.moderation.models import Report, UserBlock

# Who blocked an account, or lifted the block, is left out of that account's export: the
# decision is the organization's (the controller, named in the export), and naming the
# member of staff who carried it out would expose them to the retaliation moderation often
# draws, a right of others that the right of access must not harm (GDPR art. 15(4)).
# The blocked person still gets the block itself, its justification and its dates.
_MODERATOR_WITHHELD = (
    "the organization, not the member of staff, took the decision; naming them to the blocked "
    "account would expose them to retaliation (GDPR art. 15(4))"
)


@register_export("reports_made", covers=[(Report, "user")])
def export_reports(user) -> list[dict]:
    reports = Report.objects.filter(user=user).select_related("moderation__content_type")
    return [
        {
            "reported": f"{report.moderation.content_type.app_label}.{report.moderation.content_type.model}",
            "reported_id": report.moderation.object_id,
            "reason": report.get_reason_display(),
            "details": report.details,
            # The reporter's standing when reporting and the moderators' verdict: an
            # assessment of the person, so theirs to see (GDPR art. 15(1)(h)).
            "weight": str(report.weight),
            "outcome": report.get_outcome_display(),
            "created_at": iso(report.created_at),
        }
        for report in reports
    ]


@register_export(
    "blocks_received",
    covers=[(UserBlock, "user")],
    withholds={(UserBlock, "blocked_by"): _MODERATOR_WITHHELD, (UserBlock, "lifted_by"): _MODERATOR_WITHHELD},
)
def export_blocks_received(user) -> list[dict]:
    return [
        {
            "blocked_at": iso(block.created_at),
            "justification": block.justification,
            "name_before_the_block": block.previous_name,
            "nickname_before_the_block": block.previous_nickname,
            "contributions_hidden": len(block.hidden_items),
            "lifted_at": iso(block.lifted_at),
        }
        for block in UserBlock.objects.filter(user=user).order_by("created_at", "pk")
    ]


@register_export("blocks_made", covers=[(UserBlock, "blocked_by"), (UserBlock, "lifted_by")])
def export_blocks_made(user) -> list[dict]:
    """What a moderator did: the blocks they decided and the ones they lifted."""
    rows = []
    for block in UserBlock.objects.filter(blocked_by=user).order_by("created_at", "pk"):
        rows.append(
            {
                "action": "blocked",
                "account_id": block.user_id,
                "account_nickname": block.previous_nickname,
                "justification": block.justification,
                "at": iso(block.created_at),
            }
        )
    for block in UserBlock.objects.filter(lifted_by=user).order_by("lifted_at", "pk"):
        rows.append(
            {
                "action": "lifted",
                "account_id": block.user_id,
                "account_nickname": block.previous_nickname,
                "justification": block.justification,
                "at": iso(block.lifted_at),
            }
        )
    return rows


def erase_deleted_account(sender, instance, **kwargs) -> None:
    """A deleted account's blocks forget the name and nickname it had before them.

    The block rows stay (a moderator's decision is part of the organization's record), but
    the names they kept to restore at unblocking are the person's, and lifting a block
    on a deleted account must bring back the deleted placeholder, not them.
    """
    if getattr(instance, "deleted_at", None) is None:
        return
    UserBlock.objects.filter(user=instance).exclude(
        previous_name="", previous_nickname=instance.nickname
    ).update(previous_name="", previous_nickname=instance.nickname)
