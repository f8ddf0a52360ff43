"""What proposals put on the admin's dashboard: published proposals awaiting an official answer."""

from django.urls import reverse
from django.utils.translation import ngettext

from civitas.core.attention import AttentionItem, Scope, by_component, register_attention


def awaiting_answer(scope: Scope) -> list[AttentionItem]:
    from civitas.components.proposals.models import Proposal

    rows = Proposal.objects.visible().filter(
        component__space__in=scope.spaces, state=Proposal.State.NOT_ANSWERED, answer_published_at__isnull=True
    )
    return by_component(
        rows,
        "component",
        text=lambda count: ngettext(
            "proposal awaiting an official answer", "proposals awaiting an official answer", count
        ),
        url=lambda component: reverse(
            "proposals_admin:index", kwargs={"space_id": component.space_id, "component_id": component.pk}
        ),
    )


def register() -> None:
    register_attention("proposals_awaiting_answer", awaiting_answer, position=40)
