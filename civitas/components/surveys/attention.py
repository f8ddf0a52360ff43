"""What a consultation puts on the admin's dashboard: paper batches to key, closings ahead."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

from civitas.core.attention import AttentionItem, Scope, by_component, closing_soon, register_attention

CLOSING_DAYS = 7


def _url(name: str, component) -> str:
    return reverse(
        f"surveys_admin:{name}", kwargs={"space_id": component.space_id, "component_id": component.pk}
    )


def batches_to_key(scope: Scope) -> list[AttentionItem]:
    from civitas.components.surveys.models import Batch

    rows = Batch.objects.filter(survey__component__space__in=scope.spaces, counted_at__isnull=True)
    return by_component(
        rows,
        "survey__component",
        text=lambda count: ngettext(
            "batch of paper answers to key or resolve", "batches of paper answers to key or resolve", count
        ),
        url=lambda component: _url("batches", component),
    )


def closings(scope: Scope) -> list[AttentionItem]:
    from civitas.components.surveys.models import Survey

    return closing_soon(
        Survey.objects.filter(component__space__in=scope.spaces, component__published_at__isnull=False),
        days=CLOSING_DAYS,
        text=lambda when: (
            gettext("consultation closes on %(when)s")
            % {"when": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")}
        ),
        url=lambda component: _url("index", component),
    )


def register() -> None:
    register_attention("survey_batches", batches_to_key, position=30)
    register_attention("survey_closings", closings, position=60)
