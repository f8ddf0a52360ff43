"""Public pages of a survey: answer, receipt, receipt check, results, sealed file."""

from django.contrib import messages
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.ballotbox.receipts import receipt_response
from civitas.ballotbox.services import iter_published
from civitas.components.surveys import services, themes
from civitas.components.surveys.models import Survey
from civitas.components.surveys.rendering import question_views
from civitas.components.surveys.results import build_results
from civitas.components.views import public_component_view


def _survey(component) -> Survey:
    try:
        survey = component.survey  # read with the component where the view asks for it
    except Survey.DoesNotExist:
        survey, _created = Survey.objects.get_or_create(component=component)
    survey.component = component
    return survey


def _url(name: str, component, **kwargs) -> str:
    return reverse(
        f"surveys:{name}", kwargs={"space_slug": component.space.slug, "component_id": component.pk, **kwargs}
    )


@public_component_view("surveys", related=("survey",))
def survey_page(request, space, component):
    survey = _survey(component)
    # An answer is checked by do_answer; the page's reason is read when a page is shown.
    reason = None if request.method == "POST" else services.check_can_answer(survey, request.user)
    data, errors, error_message = None, {}, ""
    if request.method == "POST" and request.user.is_authenticated:
        verdict = throttle.participant_verdict(request, "vote")
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
    if request.method == "POST":
        try:
            receipt = services.do_answer(survey=survey, user=request.user, data=request.POST)
        except services.SurveyError as error:
            data, errors, error_message = request.POST, error.errors, error.message
            reason = services.check_can_answer(survey, request.user)
        else:
            return receipt_response(
                request,
                "surveys/receipt.html",
                {"space": space, "component": component, "survey": survey, "receipt": receipt},
            )
    already = request.user.is_authenticated and survey.participations.filter(user=request.user).exists()
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        "reason": reason,
        "already": already,
        "questions": question_views(survey.ordered_questions(), data, errors) if not reason else [],
        "error_message": error_message,
        "errors": errors,
    }
    return render(request, "surveys/survey.html", context, status=400 if errors or error_message else 200)


@public_component_view("surveys")
def receipt(request, space, component):
    # The receipt is shown in the answer to the vote itself and kept nowhere, not even in
    # the session: this address, bookmarked or reloaded, leads back to the consultation.
    return redirect(_url("survey", component))


@public_component_view("surveys")
def check_receipt(request, space, component):
    survey = _survey(component)
    # POST, so that codes never land in access logs or browser history next to an address.
    code = (request.POST.get("code") or "").strip() if request.method == "POST" else ""
    answer, searched = None, False
    if code:
        searched = True
        answer = services.find_receipt(survey, code)
    return render(
        request,
        "surveys/check_receipt.html",
        {
            "space": space,
            "component": component,
            "survey": survey,
            "code": code,
            "answer": answer,
            "searched": searched,
        },
    )


def _results_visible(request, survey) -> bool:
    if survey.results_published_at:
        return True
    return survey.is_frozen and request.user.has_perm("spaces.admin_space", survey.component.space)


@public_component_view("surveys")
def results(request, space, component):
    survey = _survey(component)
    if not _results_visible(request, survey):
        raise Http404
    if not survey.results_published_at:
        messages.info(request, _("Preview: these results are not published yet."))
    context = {
        "space": space,
        "component": component,
        "survey": survey,
        **build_results(survey),
        "themes": themes.displayed_themes(survey),
    }
    return render(request, "surveys/results.html", context)


@public_component_view("surveys")
def sealed_file(request, space, component):
    survey = _survey(component)
    if not _results_visible(request, survey):
        raise Http404
    response = StreamingHttpResponse(
        (line.encode() for line in iter_published(survey)), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{component.pk}-answers.jsonl"'
    return response


@public_component_view("surveys")
def themes_file(request, space, component):
    """The themes as computed and edited, with the method, its parameters and seed:
    ``python -m civitas.themes answers.jsonl --seed N --edits themes.json`` reproduces them."""
    survey = _survey(component)
    published = themes.published_themes(survey) if _results_visible(request, survey) else None
    if published is None:
        raise Http404
    response = JsonResponse(published, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="survey-{component.pk}-themes.json"'
    return response
