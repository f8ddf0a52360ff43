"""What a majority-judgment vote puts on the admin's dashboard: paper batches, closings ahead."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from civitas.core.attention import AttentionItem, Scope, by_component, closing_soon, register_attention

CLOSING_DAYS = 7


def _url(name: str, component) -> str:
    return reverse(
        f"majority_judgment_admin:{name}",
        kwargs={"space_id": component.space_id, "component_id": component.pk},
    )


def batches_to_key(scope: Scope) -> list[AttentionItem]:
    from civitas.components.majority_judgment.models import PaperBatch

    rows = PaperBatch.objects.filter(election__component__space__in=scope.spaces, counted_at__isnull=True)
    return by_component(
        rows,
        "election__component",
        text=lambda count: ngettext(
            "box of paper ballots to key or resolve", "boxes of paper ballots to key or resolve", count
        ),
        url=lambda component: _url("paper", component),
    )


def closings(scope: Scope) -> list[AttentionItem]:
    from civitas.components.majority_judgment.models import Election

    return closing_soon(
        Election.objects.filter(component__space__in=scope.spaces, component__published_at__isnull=False),
        days=CLOSING_DAYS,
        text=lambda when: (
            gettext("vote closes on %(when)s")
            % {"when": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")}
        ),
        url=lambda component: _url("index", component),
    )


def register() -> None:
    register_attention("majority_judgment_batches", batches_to_key, position=31)
    register_attention("majority_judgment_closings", closings, position=61)
