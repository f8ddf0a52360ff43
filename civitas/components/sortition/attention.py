"""What a citizen panel puts on the admin's dashboard: paper forms keyed once or differing."""

from django.urls import reverse
from django.utils.translation import ngettext

from civitas.core.attention import AttentionItem, Scope, by_component, register_attention


def forms_to_key(scope: Scope) -> list[AttentionItem]:
    from civitas.components.sortition.models import PaperKeying

    rows = PaperKeying.objects.filter(panel__component__space__in=scope.spaces, volunteer__isnull=True)
    return by_component(
        rows,
        "panel__component",
        text=lambda count: ngettext(
            "paper registration form waiting for a second keying or a correction",
            "paper registration forms waiting for a second keying or a correction",
            count,
        ),
        url=lambda component: reverse(
            "sortition_admin:paper", kwargs={"space_id": component.space_id, "component_id": component.pk}
        ),
        counting="form_number",
    )


def register() -> None:
    register_attention("sortition_paper", forms_to_key, position=33)
