from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.notifications.services import do_toggle_follow, is_following
from civitas.spaces.models import Space

PERIODS = ("active", "upcoming", "past", "all")


def period_filter(period: str, today) -> Q:
    started = Q(start_date__isnull=True) | Q(start_date__lte=today)
    not_ended = Q(end_date__isnull=True) | Q(end_date__gte=today)
    return {
        "active": started & not_ended,
        "upcoming": Q(start_date__gt=today),
        "past": Q(end_date__lt=today),
    }.get(period, Q())


def space_list(request):
    period = request.GET.get("period", "active")
    period = period if period in PERIODS else "active"
    kind = request.GET.get("kind", "")
    spaces = Space.objects.filter(organization=request.organization).listed_for(request.user)
    if kind in Space.Kind.values:
        spaces = spaces.filter(kind=kind)
    spaces = spaces.filter(period_filter(period, timezone.localdate()))
    spaces = spaces.select_related("active_phase").prefetch_related("tags").order_by("position", "pk")
    page = Paginator(spaces, 12).get_page(request.GET.get("page"))
    context = {"page": page, "period": period, "kind": kind, "periods": PERIODS, "kinds": Space.Kind.choices}
    return render(request, "spaces/list.html", context)


def space_detail(request, slug):
    space = get_object_or_404(
        Space.objects.select_related("active_phase", "parent").prefetch_related("tags"),
        organization=request.organization,
        slug=slug,
    )
    if not request.user.has_perm("spaces.view_space", space):
        raise Http404
    components = list(space.components.published().order_by("position", "pk"))
    for component in components:
        component.space = space
    context = {
        "space": space,
        "phases": list(space.phases.all()),
        "components": components,
        "members": list(space.roles.filter(is_public=True).select_related("user"))
        if not space.is_process
        else [],
        "children": list(
            Space.objects.filter(parent=space).listed_for(request.user).select_related("active_phase")
        ),
        "following": is_following(request.user, space),
        "can_participate": request.user.has_perm("spaces.participate_in_space", space),
        "can_admin": request.user.has_perm("spaces.admin_space", space),
    }
    return render(request, "spaces/detail.html", context)


@login_required
@require_POST
def follow_space(request, slug):
    space = get_object_or_404(Space, organization=request.organization, slug=slug)
    if not request.user.has_perm("spaces.view_space", space):
        raise Http404
    if do_toggle_follow(request.user, space):
        messages.success(request, _("You follow this space: you will be told when a new phase opens."))
    else:
        messages.info(request, _("You no longer follow this space."))
    return redirect("spaces:detail", slug=space.slug)
