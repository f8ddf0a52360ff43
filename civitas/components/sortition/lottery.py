"""Compute a panel's lottery (called by the task queue) and summarise it for the public."""

from __future__ import annotations

import time
from statistics import mean

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from civitas.components.sortition.models import Panel
from civitas.components.sortition.pool import (
    active_volunteers,
    answer_labels,
    build_instance,
    features_with_values,
)
from civitas.sortition.draw import document_hash, selection_probabilities
from civitas.sortition.model import InstanceError
from civitas.sortition.publish import lottery_document
from civitas.sortition.solver import QuotasInfeasible, leximin, uniform_sample

PROGRESS_STEP = 0.02


def _still_current(panel_id: int, token: str) -> bool:
    return Panel.objects.filter(pk=panel_id, computation_token=token, state=Panel.State.COMPUTING).exists()


def compute(panel_id: int, token: str) -> None:
    """Solve, then store the document — unless the pool or quotas changed meanwhile (token)."""
    panel = Panel.objects.select_related("component").filter(pk=panel_id).first()
    if panel is None or not _still_current(panel_id, token):
        return
    last = {"written": 0.0}

    def progress(stage: str, fraction: float) -> None:
        if fraction - last["written"] >= PROGRESS_STEP:
            last["written"] = fraction
            Panel.objects.filter(pk=panel_id, computation_token=token).update(progress=min(fraction, 0.99))

    started = time.monotonic()
    try:
        instance = build_instance(panel)
        solve = leximin if panel.method == Panel.Method.LEXIMIN else uniform_sample
        lottery = solve(instance, progress=progress)
        document = lottery_document(instance, lottery, panel.component.name)
    except QuotasInfeasible as error:
        _finish(panel_id, token, problems=[{"kind": p.kind, "params": p.params} for p in error.problems])
        return
    except InstanceError as error:
        _finish(panel_id, token, problems=[{"kind": "invalid", "params": {"error": str(error)}}])
        return
    _finish(panel_id, token, document=document, seconds=time.monotonic() - started)


def _finish(panel_id: int, token: str, *, document=None, problems=None, seconds=None) -> None:
    with transaction.atomic():
        panel = Panel.objects.select_for_update().filter(pk=panel_id, computation_token=token).first()
        if panel is None or panel.state != Panel.State.COMPUTING:
            return
        if document is None:
            panel.state = Panel.State.SETUP
            panel.problems = problems
        else:
            panel.state = Panel.State.COMPUTED
            panel.lottery = document
            panel.lottery_hash = document_hash(document)
            panel.computed_at = timezone.now()
            panel.computation_seconds = seconds
            panel.problems = []
        panel.progress = 1
        panel.save()


def _problem_sentences() -> dict:
    return {
        # A count after which the noun agrees: the plural is chosen by that value.
        "pool_too_small": ngettext_lazy(
            "The pool has %(pool)s volunteer for a panel of %(panel)s.",
            "The pool has %(pool)s volunteers for a panel of %(panel)s.",
            "pool",
        ),
        "minimums_too_high": _(
            "%(feature)s: the minimums add up to %(total)s, more than the panel of %(panel)s."
        ),
        "maximums_too_low": _(
            "%(feature)s: the maximums add up to %(total)s, less than the panel of %(panel)s."
        ),
        "value_short": ngettext_lazy(
            "%(feature)s = %(value)s needs at least %(minimum)s seats "
            "but only %(available)s volunteer has it.",
            "%(feature)s = %(value)s needs at least %(minimum)s seats "
            "but only %(available)s volunteers have it.",
            "available",
        ),
        "minimum_too_high": _("%(feature)s = %(value)s: the minimum of %(minimum)s is %(by)s too high."),
        "maximum_too_low": _("%(feature)s = %(value)s: the maximum of %(maximum)s is %(by)s too low."),
        "no_relaxation": _("The quotas cannot be met."),
        "invalid": _("The data of the pool is inconsistent: %(error)s"),
    }


def describe_problems(problems: list[dict]) -> list[str]:
    """The stored reasons why the quotas cannot be met, worded in the reader's language."""
    sentences = _problem_sentences()
    return [sentences[p["kind"]] % p["params"] if p["kind"] in sentences else p["kind"] for p in problems]


def volunteer_probabilities(panel: Panel) -> dict[str, float]:
    if not panel.lottery:
        return {}
    return {code: float(p) for code, p in selection_probabilities(panel.lottery).items()}


def summary(panel: Panel) -> dict | None:
    """Aggregate probabilities only: minimum, maximum, and per feature value (never per person)."""
    probabilities = volunteer_probabilities(panel)
    if not probabilities:
        return None
    features = features_with_values(panel)
    volunteers = list(active_volunteers(panel).filter(code__in=list(probabilities)))
    rows = []
    for feature in features:
        values = []
        for value in feature.values.all():
            chances = [
                probabilities[v.code]
                for v in volunteers
                if answer_labels([feature], v.answers)[feature.name] == value.label
            ]
            values.append(
                {
                    "value": value,
                    "volunteers": len(chances),
                    "minimum": min(chances) if chances else None,
                    "mean": mean(chances) if chances else None,
                    "maximum": max(chances) if chances else None,
                    "selected": None,
                }
            )
        rows.append({"feature": feature, "values": values})
    if panel.selected_codes:
        by_code = {v.code: v for v in volunteers}
        for row in rows:
            for entry in row["values"]:
                entry["selected"] = sum(
                    1
                    for code in panel.selected_codes
                    if code in by_code
                    and answer_labels([row["feature"]], by_code[code].answers)[row["feature"].name]
                    == entry["value"].label
                )
    chances = list(probabilities.values())
    return {
        "volunteers": len(chances),
        "minimum": min(chances),
        "maximum": max(chances),
        "uniform": panel.lottery["panel_size"] / len(chances),
        "panels": len(panel.lottery["panels"]),
        "features": rows,
    }
