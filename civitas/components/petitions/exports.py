"""The petitions component's share of a GDPR export: petitions the person wrote or co-promotes.

Signatures are not in it: no signature row names an account (that is the point), and a
person's own signature can be found only with their verified identity, on the petition's page.
"""

from civitas.components.petitions.models import PaperBatch, PaperKeying, Petition, Promoter
from civitas.core.gdpr import iso, register_export
from civitas.core.richtext import plain_text


@register_export("petitions", covers=[(Petition, "author"), (Promoter, "user")])
def export_petitions(user) -> list[dict]:
    authored = Petition.objects.filter(author=user).select_related("component__space")
    promoted = Promoter.objects.filter(user=user).select_related("petition__component__space")
    rows = [
        {
            "role": "author",
            "space": petition.component.space.title,
            "petition_id": petition.pk,
            "title": petition.title,
            "text": plain_text(petition.body),
            "status": petition.status,
            "created_at": iso(petition.created_at),
        }
        for petition in authored.order_by("created_at", "pk")
    ]
    rows += [
        {
            "role": "co-promoter",
            "space": promoter.petition.component.space.title,
            "petition_id": promoter.petition_id,
            "title": promoter.petition.title,
            "invited_at": iso(promoter.invited_at),
            "accepted_at": iso(promoter.accepted_at),
        }
        for promoter in promoted.order_by("invited_at", "pk")
    ]
    return rows


@register_export(
    "petitions_review_and_keying",
    covers=[(Petition, "reviewed_by"), (PaperBatch, "created_by"), (PaperKeying, "keyed_by")],
)
def export_review_and_keying(user) -> list[dict]:
    """What the person did as a reviewer or keyer; the keyed identities are other people's."""
    rows = [
        {"act": "reviewed", "petition_id": petition.pk, "title": petition.title, "status": petition.status}
        for petition in Petition.objects.filter(reviewed_by=user).order_by("pk")
    ]
    rows += [
        {"act": "paper batch created", "batch": batch.label, "created_at": iso(batch.created_at)}
        for batch in PaperBatch.objects.filter(created_by=user).order_by("pk")
    ]
    rows += [
        {"act": "paper line keyed", "batch": keying.batch.label, "line": keying.line}
        for keying in PaperKeying.objects.filter(keyed_by=user).select_related("batch").order_by("pk")
    ]
    return rows
