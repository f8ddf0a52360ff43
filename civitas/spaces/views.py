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
from civitas.organizations.models import Organization
from civitas.spaces.groups import groups_with_counts, visible_processes
from civitas.spaces.models import ProcessGroup, Space

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
    # A group's processes show as one card, the group's, which leads to them all.
    groups = groups_with_counts(request.organization, request.user, spaces.filter(kind=Space.Kind.PROCESS))
    spaces = spaces.exclude(kind=Space.Kind.PROCESS, group__isnull=False)
    spaces = spaces.select_related("active_phase").prefetch_related("tags").order_by("position", "pk")
    page = Paginator(spaces, 12).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "groups": groups if page.number == 1 else [],
        "card_count": page.paginator.count + len(groups),
        "period": period,
        "kind": kind,
        "periods": PERIODS,
        "kinds": Space.Kind.choices,
        # A metropolis points to its communes' spaces (civitas.communes).
        "has_communes": Organization.objects.filter(parent=request.organization).exists(),
    }
    return render(request, "spaces/list.html", context)


GROUP_PERIODS = ("all", "active", "upcoming", "past")


def group_detail(request, slug):
    group = get_object_or_404(ProcessGroup, organization=request.organization, slug=slug)
    if not request.user.has_perm("spaces.view_group", group):
        raise Http404
    period = request.GET.get("period", "all")
    period = period if period in GROUP_PERIODS else "all"
    processes = (
        visible_processes(group, request.user)
        .filter(period_filter(period, timezone.localdate()))
        .select_related("active_phase")
        .order_by("position", "pk")
    )
    context = {
        "group": group,
        "processes": list(processes),
        "period": period,
        "periods": GROUP_PERIODS,
        "can_manage": request.user.has_perm("spaces.manage_groups", request.organization),
    }
    return render(request, "spaces/group.html", context)


def space_detail(request, slug):
    space = get_object_or_404(
        Space.objects.select_related("active_phase", "parent", "group").prefetch_related("tags"),
        organization=request.organization,
        slug=slug,
    )
    if not request.user.has_perm("spaces.view_space", space):
        raise Http404
    components = list(space.components.published().order_by("position", "pk"))
    for component in components:
        component.space = space
    # What components show on the space's page itself (e.g. its latest news).
    sections = [
        html
        for component in components
        if component.manifest is not None and component.manifest.space_section is not None
        for html in (component.manifest.space_section(request, component),)
        if html
    ]
    context = {
        "space": space,
        "component_sections": sections,
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
