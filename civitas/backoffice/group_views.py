"""Back-office pages for process groups: the organization admins gather processes under one page."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.backoffice.decorators import backoffice_access_required
from civitas.backoffice.forms import ProcessGroupForm
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.spaces import services
from civitas.spaces.models import ProcessGroup


def groups_managed(view):
    @wraps(view)
    @backoffice_access_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("spaces.manage_groups", request.organization):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@groups_managed
def group_list(request):
    groups = ProcessGroup.objects.filter(organization=request.organization).prefetch_related("processes")
    return render(request, "backoffice/groups/list.html", {"groups": groups})


@groups_managed
def group_create(request):
    return _group_form(request, ProcessGroup())


@groups_managed
def group_edit(request, group_id):
    return _group_form(
        request, get_object_or_404(ProcessGroup, organization=request.organization, pk=group_id)
    )


def _group_form(request, group):
    form = ProcessGroupForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=group,
        organization=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        services.do_save_group(organization=request.organization, user=request.user, form=form)
        messages.success(request, _("The group is saved."))
        return redirect("backoffice:groups")
    return render(request, "backoffice/groups/form.html", {"form": form, "group": group})


@require_POST
@groups_managed
def group_delete(request, group_id):
    group = get_object_or_404(ProcessGroup, organization=request.organization, pk=group_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=group.title,
            consequence=_("The group's page is deleted; its processes stay, outside any group."),
            back_url=reverse("backoffice:groups"),
        )
    services.do_delete_group(group=group, user=request.user)
    messages.success(request, _("The group is deleted."))
    return redirect("backoffice:groups")
