"""Aggregated figures: published survey results and participation statistics.

Survey results come from the sealed tally, as on the results page, without the free-text
answers: only counts leave the platform through the API. Statistics are the figures of
the statistics pages (``civitas.stats.services.summary``, cached there).
"""

from civitas.api.representations import iso
from civitas.stats import services as stats


def _labelled(counts: dict, labels: dict) -> list[dict]:
    return [{"id": key, "label": labels.get(key, key), "count": count} for key, count in counts.items()]


def _question(question: dict, tally: dict | None) -> dict:
    tally = tally or {}
    labels = {option["id"]: option["label"] for option in question.get("options", [])}
    answered = tally.get("answered", 0)
    item = {
        "id": question["id"],
        "type": question["type"],
        "label": question["label"],
        "answered": answered,
        "by_channel": dict(tally.get("by_channel", {})),
    }
    if "options" in tally:
        item["options"] = _labelled(tally["options"], labels)
    if "values" in tally:
        item["values"] = [{"value": value, "count": count} for value, count in tally["values"].items()]
        item["mean"] = round(tally["sum"] / answered, 2) if answered else None
    if "points" in tally:
        item["ranking"] = [
            {
                "id": key,
                "label": labels.get(key, key),
                "points": points,
                "positions": list(tally["positions"].get(key, [])),
            }
            for key, points in sorted(tally["points"].items(), key=lambda pair: -pair[1])
        ]
    if "rows" in tally:
        rows = {row["id"]: row["label"] for row in question.get("rows", [])}
        item["matrix"] = [
            {"id": row, "label": rows.get(row, row), "options": _labelled(counts, labels)}
            for row, counts in tally["rows"].items()
        ]
    return item


def survey_summary(survey) -> dict:
    component = survey.component
    return {
        "component_id": component.pk,
        "space_id": component.space_id,
        "title": component.name,
        "answers": (survey.tally or {}).get("answers", 0),
        "results_published_at": iso(survey.results_published_at),
        "url": f"{component.get_absolute_url()}results/",
    }


def survey_results(survey) -> dict:
    tally = survey.tally or {"answers": 0, "by_channel": {}, "questions": {}}
    definition = survey.sealed_definition or {"questions": []}
    return {
        **survey_summary(survey),
        "eligible_count": survey.eligible_count,
        "by_channel": dict(tally.get("by_channel", {})),
        "questions": [
            _question(question, tally.get("questions", {}).get(question["id"]))
            for question in definition["questions"]
        ],
    }


def statistics(organization, space=None) -> dict:
    data = stats.summary(organization, space)
    return {
        "participants": data["participants"],
        "contributions": [
            {"action": key, "label": label, "count": count} for key, label, count in data["totals"]
        ],
        "months": [
            {"month": start.strftime("%Y-%m"), "contributions": dict(counts)}
            for start, counts in data["months"]
        ],
    }
