import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.authorizations.gate import verification_redirect
from civitas.components.page_cache import visitor_page
from civitas.components.proposals import services
from civitas.components.proposals.cards import attach_cards
from civitas.components.proposals.collaboration_views import coauthor_panel
from civitas.components.proposals.forms import ProposalForm
from civitas.components.proposals.links import visible_links
from civitas.components.proposals.models import CLOSED_STATES, CollaborativeDraft, Proposal
from civitas.components.proposals.queries import (
    ORDERS,
    list_key,
    mark_supported,
    may_see_proposal,
    page_of,
    proposal_list,
    support_allowance,
)
from civitas.components.proposals.similarity import similar_proposals
from civitas.components.views import public_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.maps.markers import map_context, markers_from_query
from civitas.notifications.services import do_toggle_follow, is_following
from civitas.organizations.theme import readable_text_on

# The random order is stable for a visitor: a cookie holds their seed. Seeds come from a
# small set so that anonymous visitors share cached pages; each set of visitors still
# sees the proposals in its own order, and every proposal is as likely to come first.
SEED_COOKIE = "civitas_order"
SEED_COUNT = 64


def _visitor_seed(request) -> tuple[int, bool]:
    """The visitor's seed, and whether it is new and must be stored in their cookie."""
    value = request.COOKIES.get(SEED_COOKIE, "")
    if value.isdigit() and 1 <= int(value) <= SEED_COUNT:
        return int(value), False
    return secrets.randbelow(SEED_COUNT) + 1, True


def _support_mode(component) -> str:
    return component.active_phase_settings()["supports"]


@public_component_view("proposals")
def proposal_index(request, space, component):
    order = request.GET.get("order", "random")
    order = order if order in ORDERS else "random"
    filters = {
        "state": request.GET.get("state", ""),
        "tag": request.GET.get("tag", ""),
        "mine": request.GET.get("mine") == "1",
        "text": request.GET.get("q", "").strip()[:100],
    }
    seed, new_seed = _visitor_seed(request)

    def build_context() -> dict:
        proposals = proposal_list(component, request.user, order=order, seed=seed, **filters)
        page = page_of(
            proposals,
            request.GET.get("page"),
            count_key=list_key(component, request.user, filters),
            order_key=list_key(
                component, request.user, filters, order=order, seed=seed if order == "random" else None
            ),
        )
        for proposal in page:
            proposal.component = component  # already loaded: no join, no query per row for its address
        support_mode, component_settings = _support_mode(component), component.current_settings()
        mark_supported(page, request.user)
        attach_cards(page, support_mode=support_mode, settings=component_settings)
        base_url = component.get_absolute_url()
        markers, truncated = markers_from_query(
            # The list's own rules (published, not hidden, the filters), withdrawn ones left out.
            proposal_list(component, request.user, order="recent", **filters).exclude(
                state__in=CLOSED_STATES
            ),
            lambda pk: f"{base_url}{pk}/",
        )
        return {
            "map": map_context(
                request.organization,
                markers,
                label=_("Map of the proposals"),
                list_id="proposal-list",
                truncated=truncated,
            ),
            "space": space,
            "component": component,
            "order": order,
            "orders": ORDERS,
            "filters": filters,
            "states": Proposal.State.choices,
            "tags": space.tags.all(),
            "support_mode": support_mode,
            "settings": component_settings,
            "can_create": request.user.has_perm("proposals.create", component),
            "drafts_tab": drafts_tab(component),
            "can_support": request.user.has_perm("proposals.support", component),
            "allowance": support_allowance(component, request.user, component_settings),
            "page": page,
        }

    extra = (seed,) if order == "random" else ()
    response = visitor_page(request, component, "proposals/index.html", build_context, extra)
    if new_seed:
        response.set_cookie(SEED_COOKIE, str(seed), max_age=30 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def drafts_tab(component) -> bool:
    """The list links to the drafts while they are open, or once some were written."""
    return bool(component.active_phase_settings().get("collaborative_drafts_enabled")) or (
        CollaborativeDraft.objects.filter(component=component).exists()
    )


def _get_proposal(request, component, proposal_id):
    proposal = get_object_or_404(
        # Tags are read by the template only when the page is rendered, not when cached.
        Proposal.objects.select_related("author"),
        component=component,
        pk=proposal_id,
    )
    proposal.component = component
    if not may_see_proposal(request.user, proposal):
        raise Http404
    return proposal


@public_component_view("proposals")
def proposal_detail(request, space, component, proposal_id):
    def build_context() -> dict:
        proposal = _get_proposal(request, component, proposal_id)
        return {
            "space": space,
            "component": component,
            "proposal": proposal,
            "supported": request.user.is_authenticated
            and proposal.supports.filter(user=request.user).exists(),
            "support_mode": _support_mode(component),
            "settings": component.current_settings(),
            "can_support": request.user.has_perm("proposals.support", component),
            "allowance": support_allowance(component, request.user, component.current_settings()),
            "following": is_following(request.user, proposal),
            "can_edit": _can_edit(proposal, request.user),
            "coauthor_panel": coauthor_panel(proposal, request.user),
            "links": visible_links(request.user, proposal),
        }

    # A proposal hidden or withdrawn since bumps the component's content version, so a
    # cached page never outlives the checks ``_get_proposal`` makes.
    return visitor_page(request, component, "proposals/detail.html", build_context)


def _can_edit(proposal, user) -> bool:
    if not user.is_authenticated:
        return False
    try:
        services.check_can_edit(proposal, user)
    except services.ProposalError:
        return False
    return True


def _refuse():
    raise PermissionDenied


@public_component_view("proposals")
def proposal_create(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("proposals.create", component):
        return verification_redirect(request, component, "create", component.get_absolute_url()) or _refuse()
    form = ProposalForm(
        request.POST if request.method == "POST" else None, request.FILES or None, component=component
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.do_create_draft(
                user=request.user,
                component=component,
                title=data["title"],
                body=data["body"],
                address=data["address"],
                coordinates=form.coordinates,
                image=data.get("image"),
                image_alt=data.get("image_alt", ""),
                tags=data.get("tags", []),
            )
        except services.ProposalError as error:
            form.add_error(None, error.message)
        else:
            form.announce_location(request)
            return redirect(
                "proposals:compare", space_slug=space.slug, component_id=component.pk, proposal_id=proposal.pk
            )
    return render(request, "proposals/form.html", {"space": space, "component": component, "form": form})


@public_component_view("proposals")
def proposal_compare(request, space, component, proposal_id):
    """Before publishing, the author sees proposals that look like theirs."""
    proposal = _get_proposal(request, component, proposal_id)
    if proposal.author_id != request.user.pk or proposal.published_at is not None:
        return redirect(proposal.get_absolute_url())
    if request.method == "POST":
        if not request.user.has_perm("proposals.create", component):
            raise PermissionDenied
        try:
            services.do_publish(proposal=proposal, user=request.user)
        except services.ProposalError as error:
            messages.error(request, error.message)
        else:
            # Spam scoring ran when the proposal was saved (civitas.spam.signals): held or not is known.
            proposal.refresh_from_db(fields=["hidden_at"])
            if proposal.hidden_at is None:
                messages.success(request, _("Your proposal is published."))
            else:
                messages.warning(
                    request,
                    _(
                        "Your proposal is not published yet: it looks like spam to our automatic "
                        "check, so a moderator will read it first. You will receive an e-mail about it."
                    ),
                )
            return redirect(proposal.get_absolute_url())
    context = {
        "space": space,
        "component": component,
        "proposal": proposal,
        "similar": similar_proposals(proposal),
    }
    return render(request, "proposals/compare.html", context)


@public_component_view("proposals")
def proposal_edit(request, space, component, proposal_id):
    proposal = _get_proposal(request, component, proposal_id)
    if not _can_edit(proposal, request.user):
        raise PermissionDenied
    form = ProposalForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=proposal,
        component=component,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_edit(form=form, user=request.user)
        except services.ProposalError as error:
            messages.error(request, error.message)
            return redirect(proposal.get_absolute_url())
        messages.success(request, _("Your proposal is saved."))
        form.announce_location(request)
        return redirect(proposal.get_absolute_url())
    context = {"space": space, "component": component, "form": form, "proposal": proposal}
    return render(request, "proposals/form.html", context)


@require_POST
@public_component_view("proposals")
def proposal_withdraw(request, space, component, proposal_id):
    proposal = _get_proposal(request, component, proposal_id)
    # Only its author is asked: anyone else is refused by the service, as before.
    if proposal.author_id == request.user.pk and not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=proposal.title,
            consequence=_(
                "A withdrawn proposal stays visible, marked withdrawn, but it can no longer be "
                "supported, answered or published again."
            ),
            back_url=proposal.get_absolute_url(),
            public=True,
        )
    try:
        services.do_withdraw(proposal=proposal, user=request.user)
    except services.ProposalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your proposal is withdrawn."))
    return redirect(proposal.get_absolute_url())


@require_POST
@public_component_view("proposals")
def proposal_support(request, space, component, proposal_id):
    proposal = _get_proposal(request, component, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    if not request.user.has_perm("proposals.support", component):
        return verification_redirect(request, component, "support", proposal.get_absolute_url()) or _refuse()
    verdict = throttle.participant_verdict(request, "support")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    try:
        if request.POST.get("action") == "withdraw":
            services.do_withdraw_support(proposal=proposal, user=request.user)
            level, message = messages.INFO, _("Your support is withdrawn.")
        else:
            services.do_support(proposal=proposal, user=request.user)
            level, message = messages.SUCCESS, _("Thank you for your support.")
    except services.ProposalError as error:
        level, message = messages.ERROR, error.message
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = proposal.get_absolute_url()
    if request.headers.get("HX-Request") == "true":
        return _support_answer(request, component, proposal, message=message, level=level, back=back)
    messages.add_message(request, level, message)
    return redirect(back)


def _support_answer(request, component, proposal, *, message, level, back):
    """The support box again, its count fresh, the supports left and what happened (htmx)."""
    proposal.refresh_from_db(fields=["support_count"])
    settings = component.current_settings()
    context = {
        "component": component,
        "proposal": proposal,
        "supported": proposal.supports.filter(user=request.user).exists(),
        "support_mode": _support_mode(component),
        "settings": settings,
        "can_support": request.user.has_perm("proposals.support", component),
        "allowance": support_allowance(component, request.user, settings),
        "next": request.POST.get("next") and back,
        "live_message": message,
        "support_error": message if level == messages.ERROR else "",
    }
    return render(request, "proposals/_support_answer.html", context)


@require_POST
@public_component_view("proposals")
def proposal_follow(request, space, component, proposal_id):
    proposal = _get_proposal(request, component, proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(proposal.get_absolute_url())
    do_toggle_follow(request.user, proposal)
    return redirect(proposal.get_absolute_url())


@public_component_view("proposals")
def custom_state_styles(request, space, component):
    """Colours of the component's custom states as CSS classes: the CSP forbids inline styles."""
    rules = [
        f".custom-state-{state.pk}{{background:{state.colour};color:{readable_text_on(state.colour)}}}"
        for state in component.custom_states.all()
    ]
    response = HttpResponse("\n".join(rules), content_type="text/css")
    response["Cache-Control"] = "public, max-age=300"
    return response
