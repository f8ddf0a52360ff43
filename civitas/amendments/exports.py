"""A person's amendments, their supports of amendments and the decisions they took, for the GDPR export."""

from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.core.gdpr import iso, register_export
from civitas.core.richtext import plain_text


def _where(amendment) -> dict:
    return {
        "space": amendment.component.space.title,
        "component": amendment.component.name,
        "amendment_id": amendment.pk,
        "amended": amendment.content_type.model,
        "amended_id": amendment.object_id,
        "url": amendment.get_absolute_url(),
    }


def _amendments():
    return Amendment.objects.select_related("component__space", "content_type").order_by("created_at", "pk")


@register_export(
    "amendments",
    covers=[(Amendment, "amender")],
    withholds={
        (Amendment, "decided_by"): (
            "the decision is given with its date and reason; which of the text's authors "
            "took it is their data, in their own export"
        )
    },
)
def export_amendments(user) -> list[dict]:
    return [
        {
            **_where(amendment),
            "title": amendment.title,
            "text": plain_text(amendment.body),
            "html": amendment.body,
            "written_against_version": amendment.base_version,
            "state": amendment.state,
            "rejection_reason": amendment.rejection_reason,
            "decided_at": iso(amendment.decided_at),
            "withdrawn_at": iso(amendment.withdrawn_at),
            "promoted_to_id": amendment.promoted_id or "",
            "hidden_by_moderation_at": iso(amendment.hidden_at),
            "created_at": iso(amendment.created_at),
        }
        for amendment in _amendments().filter(amender=user)
    ]


@register_export("amendment_decisions", covers=[(Amendment, "decided_by")])
def export_decisions(user) -> list[dict]:
    return [
        {
            **_where(amendment),
            "decision": amendment.state,
            "reason": amendment.rejection_reason,
            "decided_at": iso(amendment.decided_at),
        }
        for amendment in _amendments().filter(decided_by=user)
    ]


@register_export("amendment_supports", covers=[(AmendmentSupport, "user")])
def export_supports(user) -> list[dict]:
    supports = (
        AmendmentSupport.objects.filter(user=user)
        .select_related("amendment__component__space", "amendment__content_type")
        .order_by("created_at", "pk")
    )
    return [{**_where(support.amendment), "supported_at": iso(support.created_at)} for support in supports]
