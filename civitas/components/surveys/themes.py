"""Themes of a closed survey's written answers: run, edit log, display.

The analysis (:mod:`civitas.themes`) reads the survey's published answers file exactly as
it is downloaded (``iter_published``: hidden texts as fingerprints, rows read in short
queries), so ``python -m civitas.themes answers.jsonl --seed N --edits themes.json`` run
by anyone prints the themes the platform shows. Names apply at once; a merge or a split
re-runs the analysis in the task queue with the edit log.
"""

from __future__ import annotations

import secrets
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.ballotbox.services import iter_published
from civitas.components.surveys.models import Survey, ThemeAnalysis, ThemeEdit
from civitas.components.surveys.services import SurveyError, _log
from civitas.sealing.kinds.survey import TEXT_TYPES
from civitas.themes import analyse, named
from civitas.themes.analysis import EditError, share

PROGRESS_STEP = 0.02
MAX_SEED = 2**31 - 1


def text_questions(survey: Survey) -> list[dict]:
    return [q for q in (survey.sealed_definition or {}).get("questions", []) if q.get("type") in TEXT_TYPES]


def check_can_analyse(survey: Survey) -> str | None:
    if not survey.is_frozen:
        return _(
            "The themes are computed once the consultation is closed: the answers are encrypted until then."
        )
    if not text_questions(survey):
        return _("This consultation has no written-answer question.")
    return None


def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def _queue(survey: Survey, seed: int) -> ThemeAnalysis:
    from civitas.components.surveys.tasks import compute_themes

    token = secrets.token_hex(16)
    analysis, _created = ThemeAnalysis.objects.update_or_create(
        survey=survey,
        defaults={
            "seed": seed,
            "state": ThemeAnalysis.State.QUEUED,
            "progress": 0,
            "token": token,
            "error": "",
        },
    )
    transaction.on_commit(lambda: compute_themes(survey.pk, token))
    return analysis


def do_start_analysis(*, survey: Survey, user, seed: int) -> ThemeAnalysis:
    reason = check_can_analyse(survey)
    if reason:
        raise SurveyError(reason)
    if not 0 <= seed <= MAX_SEED:
        raise SurveyError(_("The seed is a whole number from 0 to %(max)s.") % {"max": MAX_SEED})
    with transaction.atomic():
        analysis = _queue(survey, seed)
        _log(survey, user, "survey.themes_run", after={"seed": str(seed)})
    return analysis


def compute(survey_id: int, token: str) -> None:
    """The task's work: analyse the published file, store the result unless a newer run began."""
    analysis = ThemeAnalysis.objects.select_related("survey__component").filter(survey_id=survey_id).first()
    if analysis is None or analysis.token != token:
        return
    survey = analysis.survey
    ThemeAnalysis.objects.filter(pk=analysis.pk, token=token).update(
        state=ThemeAnalysis.State.RUNNING, started_at=timezone.now(), progress=0
    )
    last = {"written": 0.0}

    def progress(fraction: float) -> None:
        if fraction - last["written"] >= PROGRESS_STEP:
            last["written"] = fraction
            ThemeAnalysis.objects.filter(pk=analysis.pk, token=token).update(progress=min(fraction, 0.99))

    edits = [edit.as_edit() for edit in survey.theme_edits.exclude(kind=ThemeEdit.Kind.NAME)]
    started = time.monotonic()
    try:
        result = analyse(
            iter_published(survey),
            seed=analysis.seed,
            edits=edits,
            progress=progress,
            expected_records=(survey.tally or {}).get("answers"),
        )
    except Exception as error:
        ThemeAnalysis.objects.filter(pk=analysis.pk, token=token).update(
            state=ThemeAnalysis.State.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    ThemeAnalysis.objects.filter(pk=analysis.pk, token=token).update(
        state=ThemeAnalysis.State.DONE,
        result=result,
        progress=1,
        finished_at=timezone.now(),
        seconds=round(time.monotonic() - started, 2),
    )


def _check_theme(survey: Survey, question_key: str, *themes: str) -> ThemeAnalysis:
    analysis = ThemeAnalysis.objects.filter(survey=survey).first()
    if analysis is None or analysis.state != ThemeAnalysis.State.DONE or not analysis.result:
        raise SurveyError(_("Wait for the analysis to finish before changing its themes."))
    question = analysis.result["questions"].get(question_key)
    known = {theme["id"] for theme in question["themes"]} if question else set()
    if not themes or any(theme not in known for theme in themes):
        raise SurveyError(_("This theme does not exist (any more)."))
    return analysis


def do_name_theme(*, survey: Survey, user, question_key: str, theme: str, name: str) -> None:
    name = name.strip()
    if len(name) > 120:
        raise SurveyError(_("A theme's name has at most 120 characters."))
    _check_theme(survey, question_key, theme)
    with transaction.atomic():
        ThemeEdit.objects.create(
            survey=survey, kind=ThemeEdit.Kind.NAME, question_key=question_key, theme=theme, name=name,
            created_by=user,
        )  # fmt: skip
        _log(
            survey, user, "survey.theme_name", after={"question": question_key, "theme": theme, "name": name}
        )


def do_merge_themes(*, survey: Survey, user, question_key: str, theme: str, other: str) -> None:
    if theme == other:
        raise SurveyError(_("Choose two different themes to merge."))
    analysis = _check_theme(survey, question_key, theme, other)
    with transaction.atomic():
        ThemeEdit.objects.create(
            survey=survey, kind=ThemeEdit.Kind.MERGE, question_key=question_key, theme=theme, other=other,
            created_by=user,
        )  # fmt: skip
        _queue(survey, analysis.seed)
        _log(survey, user, "survey.theme_merge", after={"question": question_key, "themes": [theme, other]})


def do_split_theme(*, survey: Survey, user, question_key: str, theme: str) -> None:
    analysis = _check_theme(survey, question_key, theme)
    with transaction.atomic():
        ThemeEdit.objects.create(
            survey=survey, kind=ThemeEdit.Kind.SPLIT, question_key=question_key, theme=theme, created_by=user
        )
        _queue(survey, analysis.seed)
        _log(survey, user, "survey.theme_split", after={"question": question_key, "theme": theme})


def published_themes(survey: Survey) -> dict | None:
    """The themes file the results page offers: the computation with the edit log it used and
    every name given since (``python -m civitas.themes … --edits`` replays it)."""
    analysis = ThemeAnalysis.objects.filter(survey=survey, result__isnull=False).first()
    if analysis is None:
        return None
    computed = [edit for edit in analysis.result.get("edits", []) if edit.get("kind") != ThemeEdit.Kind.NAME]
    names = [edit.as_edit() for edit in survey.theme_edits.filter(kind=ThemeEdit.Kind.NAME)]
    edits = computed + names
    return {**named(analysis.result, edits), "edits": edits}


def displayed_themes(survey: Survey) -> dict | None:
    """What the pages show: per question, themes with their names, shares and quotes (quotes
    of texts hidden since the analysis left out), and whether the file changed since."""
    themes = published_themes(survey)
    if themes is None:
        return None
    hidden = {
        (str(answer), key) for answer, key in survey.hidden_texts.values_list("answer_id", "question_key")
    }
    questions = []
    for key, question in themes["questions"].items():
        shown = []
        for theme in question["themes"]:
            shown.append(
                {
                    **theme,
                    # Unnamed, a theme goes by its id: the one the edit log and the file use.
                    "title": theme["name"] or _("Theme %(number)s") % {"number": theme["id"]},
                    "share": share(theme["count"], question["answered"]),
                    "quotes": [q for q in theme["quotes"] if (q["id"], key) not in hidden],
                }
            )
        questions.append(
            {
                "key": key,
                **question,
                "themes": shown,
                "empty_share": share(question["empty"], question["answered"]),
                "hidden_since": sum(1 for _answer, question_key in hidden if question_key == key)
                - question["hidden"],
            }
        )
    return {**themes, "questions": questions}


__all__ = [
    "EditError",
    "check_can_analyse",
    "compute",
    "displayed_themes",
    "do_merge_themes",
    "do_name_theme",
    "do_split_theme",
    "do_start_analysis",
    "new_seed",
    "published_themes",
]
