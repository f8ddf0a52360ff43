from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.ballotbox.receipts import receipt_response
from civitas.ballotbox.services import iter_published
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.results import election_results, results_visible
from civitas.components.views import public_component_view


def _context(space, component, election, **extra) -> dict:
    return {"space": space, "component": component, "election": election, **extra}


@public_component_view("majority_judgment")
def ballot(request, space, component):
    """The ballot while the vote is open, the results once closed and published."""
    election = services.election_of(component)
    visible = results_visible(election)
    context = _context(
        space,
        component,
        election,
        candidates=election.candidates.all(),
        grade_choices=election.grade_choices(),
        lowest_grade=election.grades[-1],
        cannot_vote=services.check_can_vote(election, request.user),
        has_voted=services.has_voted(election, request.user),
        results=election_results(election) if visible else None,
    )
    return render(request, "majority_judgment/ballot.html", context)


@require_POST
@public_component_view("majority_judgment")
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
    context = _context(space, component, election, receipt=receipt, code=receipt.code)
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
