"""From the database to the framework-free selection problem, and back."""

from __future__ import annotations

from civitas.components.sortition.models import Panel, Volunteer
from civitas.sortition.model import Feature as ProblemFeature
from civitas.sortition.model import Instance, Quota
from civitas.sortition.model import Volunteer as ProblemVolunteer


def features_with_values(panel: Panel) -> list:
    return list(panel.features.prefetch_related("values").order_by("position", "pk"))


def active_volunteers(panel: Panel):
    return panel.volunteers.filter(withdrawn_at__isnull=True).order_by("code")


def answer_labels(features, answers: dict) -> dict[str, str]:
    """Feature name → value label for one volunteer's stored answers (ids)."""
    labels = {}
    for feature in features:
        value_id = answers.get(str(feature.pk))
        value = next((v for v in feature.values.all() if str(v.pk) == str(value_id)), None)
        labels[feature.name] = value.label if value else ""
    return labels


def build_instance(panel: Panel) -> Instance:
    """The selection problem of this panel: its quotas and its volunteers who have not withdrawn."""
    features = features_with_values(panel)
    problem_features = [
        ProblemFeature(f.name, {v.label: Quota(v.minimum, v.maximum) for v in f.values.all()})
        for f in features
    ]
    volunteers = [
        ProblemVolunteer(volunteer.code, answer_labels(features, volunteer.answers))
        for volunteer in active_volunteers(panel)
    ]
    return Instance(problem_features, volunteers, panel.panel_size, panel.alternates)


def validate_answers(features, data) -> tuple[dict[str, str], dict[str, str]]:
    """Answers from a form or a CSV row (feature id → value id or label); errors by feature."""
    answers, errors = {}, {}
    for feature in features:
        raw = str(data.get(f"feature_{feature.pk}", "") or "").strip()
        value = next(
            (
                v
                for v in feature.values.all()
                if raw in (str(v.pk), v.label) or raw.casefold() == v.label.casefold()
            ),
            None,
        )
        if value is None:
            errors[feature.name] = "missing" if not raw else "unknown"
        else:
            answers[str(feature.pk)] = str(value.pk)
    return answers, errors


def volunteers_by_code(panel: Panel, codes) -> list[Volunteer]:
    by_code = {v.code: v for v in panel.volunteers.filter(code__in=list(codes))}
    return [by_code[code] for code in codes if code in by_code]
