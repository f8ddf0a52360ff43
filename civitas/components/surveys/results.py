"""Results of a closed survey, computed from its sealed tally (never from live rows)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import caches
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from civitas.components.surveys.models import CHOICE_TYPES, MATRIX_TYPES, TEXT_TYPES, QuestionType

# Written answers shown per question: a random sample once there are more (answers are
# stored in random order at closing), every one being in the published file. 500 made the
# page of a national consultation 237 KB and 4.3 times slower than an empty platform's, for
# a list nobody reads to its end; the themes are how 237,500 answers are read.
TEXTS_SHOWN = 100
# The results page reads at most this many answers for its written texts. Answers are
# stored in random order at closing, so these are a fair sample; without the cap, a choice
# question whose "other" box is rarely used made every visit read the whole consultation
# (4.9 s at 47,500 answers, 5× the empty platform). Every text is in the published file.
TEXT_SCAN_LIMIT = 5_000
TEXTS_KEPT_SECONDS = 24 * 3600
BAR_WIDTH = 380
BAR_HEIGHT = 16
ROW_HEIGHT = 44  # label line above each bar


@dataclass
class Bar:
    label: str
    count: int
    percent: str
    width: int
    y: int
    by_channel: dict = field(default_factory=dict)


@dataclass
class Chart:
    bars: list[Bar]
    height: int


def _channel_labels() -> dict[str, str]:
    return {"online": _("Online"), "paper": _("Paper"), "post": _("Post")}


def _percent(part: int, whole: int) -> str:
    if not whole:
        return number_format(0, 1) + "\u00a0%"
    # number_format truncates: round first so 0.27 % reads 0.3 %.
    return number_format(round(100 * part / whole, 1), 1) + "\u00a0%"


def _chart(items: list[tuple[str, int, dict]], whole: int) -> Chart:
    biggest = max((count for _label, count, _channels in items), default=0) or 1
    bars = [
        Bar(
            label=label,
            count=count,
            percent=_percent(count, whole),
            width=max(round(BAR_WIDTH * count / biggest), 1 if count else 0),
            y=index * ROW_HEIGHT,
            by_channel=channels,
        )
        for index, (label, count, channels) in enumerate(items)
    ]
    return Chart(bars=bars, height=max(len(bars) * ROW_HEIGHT, ROW_HEIGHT))


def build_results(survey) -> dict:
    from civitas.components.surveys.models import HiddenText

    tally = survey.tally or {"answers": 0, "by_channel": {}, "questions": {}}
    definition = survey.sealed_definition or {"questions": []}
    total = tally["answers"]
    channel_names = _channel_labels()
    channels = [
        {"key": key, "label": channel_names.get(key, key), "count": count, "percent": _percent(count, total)}
        for key, count in sorted(tally["by_channel"].items())
    ]
    hidden = set(HiddenText.objects.filter(survey=survey).values_list("answer_id", "question_key"))
    texts = _texts(survey, definition, hidden)
    questions = []
    for question in definition["questions"]:
        qtally = tally["questions"].get(question["id"])
        item = {"definition": question, "type": question["type"], "tally": qtally}
        if qtally is None:
            questions.append(item)
            continue
        answered = qtally["answered"]
        item["answered"] = answered
        labels = {option["id"]: option["label"] for option in question.get("options", [])}
        if question["type"] in CHOICE_TYPES:
            item["chart"] = _chart(
                [
                    (
                        labels.get(key, key),
                        count,
                        {
                            ch: qtally["options_by_channel"].get(ch, {}).get(key, 0)
                            for ch in tally["by_channel"]
                        },
                    )
                    for key, count in qtally["options"].items()
                ],
                answered,
            )
        elif question["type"] == QuestionType.SCALE:
            item["chart"] = _chart(
                [(value, count, {}) for value, count in qtally["values"].items()], answered
            )
            item["mean"] = number_format(round(qtally["sum"] / answered, 2), 2) if answered else "—"
        elif question["type"] == QuestionType.RANKING:
            ordered = sorted(qtally["points"].items(), key=lambda pair: -pair[1])
            item["chart"] = _chart(
                [(labels.get(key, key), points, {}) for key, points in ordered],
                sum(qtally["points"].values()),
            )
            item["positions"] = [
                {"label": labels.get(key, key), "counts": qtally["positions"].get(key, [])}
                for key, _p in ordered
            ]
            item["ranks"] = list(range(1, len(labels) + 1))
        elif question["type"] in MATRIX_TYPES:
            rows = {row["id"]: row["label"] for row in question.get("rows", [])}
            item["columns"] = [labels[key] for key in labels]
            item["matrix"] = [
                {
                    "label": rows.get(row, row),
                    "counts": [qtally["rows"].get(row, {}).get(key, 0) for key in labels],
                }
                for row in rows
            ]
        if question["type"] in TEXT_TYPES or question["type"] in CHOICE_TYPES:
            item["texts"] = texts.get(question["id"], [])
            item["texts_sampled"] = len(item["texts"]) >= TEXTS_SHOWN
        questions.append(item)
    participation = None
    if survey.eligible_count:
        participation = _percent(total, survey.eligible_count)
    return {
        "total": total,
        "channels": channels,
        "questions": questions,
        "participation": participation,
        "channel_names": channel_names,
        # Said on the page: the published file carries these as fingerprints.
        "hidden_texts": len(hidden),
    }


def _texts(survey, definition: dict, hidden: set) -> dict[str, list[dict]]:
    """Free-text answers per question (texts and "Other: …"), admin-hidden ones left out.

    Once sealed, the answers never change, so the sample is kept in the shared fragments
    cache under what decides it: the seal, the texts an admin hid, and the two bounds.
    Reading up to ``TEXT_SCAN_LIMIT`` answers on every visit made a national consultation's
    results page 3.9 times slower at p95 than an empty platform's."""
    if not survey.seal:
        return _read_texts(survey, definition, hidden)
    hidden_digest = hashlib.sha256(repr(sorted(map(str, hidden))).encode()).hexdigest()
    key = f"survey-texts:{survey.pk}:{survey.seal}:{hidden_digest}:{TEXTS_SHOWN}:{TEXT_SCAN_LIMIT}"
    cache = caches["fragments"]
    texts = cache.get(key)
    if texts is None:
        texts = _read_texts(survey, definition, hidden)
        cache.set(key, texts, TEXTS_KEPT_SECONDS)
    return texts


def _read_texts(survey, definition: dict, hidden: set) -> dict[str, list[dict]]:
    wanted = {q["id"]: q["type"] for q in definition["questions"] if q["type"] in TEXT_TYPES | CHOICE_TYPES}
    texts: dict[str, list[dict]] = {key: [] for key in wanted}
    if not wanted:
        return texts
    for answer_id, payload in (
        survey.answers.order_by("id").values_list("id", "payload")[:TEXT_SCAN_LIMIT].iterator(chunk_size=2000)
    ):
        for key, kind in wanted.items():
            value = payload.get(key)
            if value is None or len(texts[key]) >= TEXTS_SHOWN:
                continue
            text = value if kind in TEXT_TYPES else (value.get("other") if isinstance(value, dict) else None)
            if text and (answer_id, key) not in hidden:
                texts[key].append({"answer_id": answer_id, "text": text})
        if all(len(found) >= TEXTS_SHOWN for found in texts.values()):
            break  # enough to show: a large consultation is not read whole on every visit
    return texts


def results_rows(survey):
    """Flat rows for open data: one per question and option."""
    tally = survey.tally or {"questions": {}}
    for question in (survey.sealed_definition or {}).get("questions", []):
        qtally = tally["questions"].get(question["id"])
        if not qtally:
            continue
        for option in question.get("options", []):
            if question["type"] in CHOICE_TYPES:
                yield {
                    "question": question["label"],
                    "option": option["label"],
                    "count": qtally["options"].get(option["id"], 0),
                    "answered": qtally["answered"],
                }
