from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core.params import parse_id
from civitas.moderation import services
from civitas.moderation.forms import BlockForm, HideForm, ReportForm
from civitas.moderation.models import Moderation, Outcome, Report, UserBlock
from civitas.moderation.registry import moderatable_for
from civitas.organizations.access import participant_manager_required
from civitas.spaces import access
from civitas.spaces.models import Space

User = get_user_model()


def _reportable(request, content_type_id, object_id):
    """The resource, if this visitor may see it; 404 otherwise, whatever the reason."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is User:
        target = get_object_or_404(User, pk=object_id, organization=request.organization, is_active=True)
        return target, f"/profiles/{target.nickname}/", target.nickname
    described = moderatable_for(model) if model else None
    if described is None:
        raise Http404
    resource = get_object_or_404(model, pk=object_id)
    space = described.space_of(resource)
    if space.organization_id != request.organization.pk or not request.user.has_perm(
        "spaces.view_space", space
    ):
        raise Http404
    return resource, described.url_of(resource), described.title_of(resource)


@login_required
def report(request, content_type_id, object_id):
    resource, back_url, title = _reportable(request, content_type_id, object_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_report(
                user=request.user,
                resource=resource,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except services.ModerationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you: the moderators will look at your report."))
        return redirect(back_url)
    return render(request, "moderation/report.html", {"form": form, "title": title, "back_url": back_url})


def moderation_access_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("moderation.use_queue", request.organization):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _moderated_spaces(request):
    spaces = Space.objects.filter(organization=request.organization)
    if access.is_organization_admin_of(request.user, request.organization.pk):
        return spaces, True
    ids = [
        space_id
        for space_id, roles in access.roles_by_space(request.user).items()
        if roles & {access.ADMIN, access.MODERATOR}
    ]
    return spaces.filter(pk__in=ids), False


@moderation_access_required
def queue(request):
    """Reported contributions: the organization's whole queue, or one's own spaces' part."""
    spaces, everything = _moderated_spaces(request)
    moderations = Moderation.objects.filter(organization=request.organization).select_related(
        "content_type", "space"
    )
    moderations = (
        moderations.filter(Q(space__in=spaces) | Q(space__isnull=True))
        if everything
        else moderations.filter(space__in=spaces)
    )
    state = request.GET.get("state", "pending")
    if state == "hidden":
        moderations = moderations.filter(hidden_at__isnull=False)
    else:
        # Reports no moderator has judged yet (dismissed cases leave the queue), whether the
        # contribution is still visible or was held at once (the spam filter, enough weight):
        # a held comment waits for a moderator too, and must not look like nothing to do.
        pending = Report.objects.filter(moderation=OuterRef("pk"), outcome=Outcome.PENDING)
        moderations = moderations.filter(Exists(pending))
    space_id = parse_id(request.GET.get("space", ""))
    if space_id:
        moderations = moderations.filter(space_id=space_id)
    page = Paginator(moderations.prefetch_related("reports"), 30).get_page(request.GET.get("page"))
    for moderation in page:
        described = moderatable_for(moderation.content_type.model_class())
        resource = moderation.resource
        moderation.title = (
            (described.title_of(resource) if described else getattr(resource, "nickname", ""))
            if resource
            else "—"
        )
        moderation.url = (
            (described.url_of(resource) if described else f"/profiles/{resource.nickname}/")
            if resource
            else ""
        )
    context = {
        "page": page,
        "state": state,
        "spaces": spaces,
        "space_id": space_id,
        "hide_form": HideForm(),
        "threshold": request.organization.report_threshold,
    }
    return render(request, "moderation/queue.html", context)


def _moderation_for_moderator(request, moderation_id) -> Moderation:
    moderation = get_object_or_404(Moderation, pk=moderation_id, organization=request.organization)
    allowed = (
        request.user.has_perm("spaces.moderate_space", moderation.space)
        if moderation.space
        else access.is_organization_admin_of(request.user, request.organization.pk)
    )
    if not allowed:
        raise PermissionDenied
    return moderation


@require_POST
@moderation_access_required
def hide(request, moderation_id):
    moderation = _moderation_for_moderator(request, moderation_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tell the author why it is hidden."))
    else:
        try:
            services.do_hide(
                moderator=request.user, moderation=moderation, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("It is hidden and its author is told why."))
        except services.ModerationError as error:
            messages.error(request, error.message)
    return redirect("moderation:queue")


@require_POST
@moderation_access_required
def unhide(request, moderation_id):
    moderation = _moderation_for_moderator(request, moderation_id)
    try:
        services.do_unhide(moderator=request.user, moderation=moderation)
        messages.success(request, _("It is visible again."))
    except services.ModerationError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('moderation:queue')}?state=hidden")


@require_POST
@moderation_access_required
def dismiss(request, moderation_id):
    moderation = _moderation_for_moderator(request, moderation_id)
    try:
        services.do_dismiss(moderator=request.user, moderation=moderation)
        messages.success(request, _("The reports are dismissed and the contribution stays visible."))
    except services.ModerationError as error:
        messages.error(request, error.message)
    return redirect("moderation:queue")


@participant_manager_required
def blocked_accounts(request):
    blocks = UserBlock.objects.filter(user__organization=request.organization, lifted_at__isnull=True)
    return render(request, "moderation/blocked.html", {"blocks": blocks.select_related("user", "blocked_by")})


@participant_manager_required
def block(request, user_id):
    person = get_object_or_404(User, pk=user_id, organization=request.organization, deleted_at__isnull=True)
    form = BlockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_block_user(
                admin=request.user, user=person, justification=form.cleaned_data["justification"]
            )
        except services.ModerationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The account is blocked and its owner was e-mailed."))
            return redirect("moderation:blocked")
    return render(request, "moderation/block.html", {"form": form, "person": person})


@require_POST
@participant_manager_required
def unblock(request, user_id):
    person = get_object_or_404(User, pk=user_id, organization=request.organization)
    try:
        services.do_unblock_user(admin=request.user, user=person)
        messages.success(request, _("The account is restored with its contributions."))
    except services.ModerationError as error:
        messages.error(request, error.message)
    return redirect("moderation:blocked")
