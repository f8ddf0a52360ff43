from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.ballotbox.receipts import parts_size, receipt_response
from civitas.ballotbox.services import iter_published
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.results import election_results, results_visible
from civitas.components.views import public_component_view


def _context(space, component, election, **extra) -> dict:
    return {"space": space, "component": component, "election": election, **extra}


def _ballot_page(request, space, component, election, *, chosen=None):
    candidates = list(election.candidates.all())
    for candidate in candidates:  # the grades ticked before the review step, sent back
        candidate.chosen_grade = (chosen or {}).get(candidate.pk)
    visible = results_visible(election)
    context = _context(
        space,
        component,
        election,
        candidates=candidates,
        grade_choices=election.grade_choices(),
        lowest_grade=election.grades[-1],
        cannot_vote=services.check_can_vote(election, request.user),
        has_voted=services.has_voted(election, request.user),
        results=election_results(election) if visible else None,
    )
    return render(request, "majority_judgment/ballot.html", context)


@public_component_view("majority_judgment")
def ballot(request, space, component):
    """The ballot while the vote is open, the results once closed and published."""
    return _ballot_page(request, space, component, services.election_of(component))


# What alone in the review page depends on the grades (see receipt_response).
REVIEW_BALLOT_PARTS = ("majority_judgment/_review_grades.html", "majority_judgment/_review_hidden.html")


@require_POST
@public_component_view("majority_judgment")
def review(request, space, component):
    """The ballot shown back before it is cast, from the form alone: nothing is stored.

    Like the receipt, the page is padded to one size whatever the grades (its length,
    seen by whoever watches the encrypted traffic, tells nothing) and kept by no cache.
    ``intent=edit`` goes back to the ballot with the grades ticked again.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    election = services.election_of(component)
    try:
        reason = services.check_can_vote(election, request.user)
        if reason:
            raise services.VoteError(reason)
        grades = services.clean_grades(election, request.POST)
    except services.VoteError as error:
        messages.error(request, error.message)
        return redirect(component.get_absolute_url())
    graded = {
        int(candidate_id): grade
        for candidate_id, grade in grades.items()
        if (request.POST.get(f"candidate-{candidate_id}") or "").strip()
    }
    if request.POST.get("intent") == "edit":
        return _ballot_page(request, space, component, election, chosen=graded)
    candidates = list(election.candidates.all())

    def page(grade_of, sent):
        lines = [
            (candidate, election.grade_name(grade_of(candidate)), sent(candidate)) for candidate in candidates
        ]
        return _context(space, component, election, lines=lines, lowest_grade=election.grades[-1])

    shown = page(lambda candidate: grades[str(candidate.pk)], lambda candidate: graded.get(candidate.pk))
    widest = max(
        (
            page(lambda _candidate, g=grade: g, lambda _candidate, g=grade: g)
            for grade in range(len(election.grades))
        ),
        key=lambda context: parts_size(request, REVIEW_BALLOT_PARTS, context),
    )
    return receipt_response(
        request,
        "majority_judgment/review.html",
        shown,
        widest_context=widest,
        ballot_parts=REVIEW_BALLOT_PARTS,
        referrer_policy="same-origin",  # its form posts the vote: the browser must send its origin
    )


@require_POST
@public_component_view("majority_judgment", related=("election",))
def vote(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    verdict = throttle.participant_verdict(request, "vote")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    election = services.election_of(component)
    try:
        receipt = services.do_vote(election=election, user=request.user, data=request.POST)
    except services.VoteError as error:
        messages.error(request, error.message)
        return redirect(component.get_absolute_url())
    context = _context(space, component, election, receipt=receipt)
    return receipt_response(request, "majority_judgment/voted.html", context)


@public_component_view("majority_judgment")
def check_receipt(request, space, component):
    election = services.election_of(component)
    # POST, so that codes never land in access logs or browser history next to an address.
    code = (request.POST.get("code") or "").strip() if request.method == "POST" else ""
    match = services.find_receipt(election, code) if code else None
    context = _context(space, component, election, code=code, searched=bool(code), match=match)
    return render(request, "majority_judgment/check_receipt.html", context)


@public_component_view("majority_judgment")
def sealed_file(request, space, component):
    election = services.election_of(component)
    if not results_visible(election):
        raise Http404
    lines = (line.encode() for line in iter_published(election))
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="majority-judgment-{component.pk}-sealed.jsonl"'
    return response
