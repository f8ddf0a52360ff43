from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from civitas.core.media import send_stored_file
from civitas.opendata.models import Archive
from civitas.opendata.registry import all_datasets
from civitas.spaces import access


@require_GET
def index(request):
    organization = request.organization
    context = {
        "archive": Archive.objects.filter(organization=organization).first(),
        "datasets": all_datasets(),
        "can_rebuild": access.is_organization_admin_of(request.user, organization.pk),
    }
    return render(request, "opendata/index.html", context)


@require_GET
def download(request):
    archive = Archive.objects.filter(organization=request.organization).select_related("organization").first()
    if archive is None:
        raise Http404
    return send_stored_file(
        archive.file_name,
        download_name=archive.download_name + ".zip",
        inline=False,
        content_type="application/zip",
        # The address stays the same while the archive is rebuilt every night.
        cache_control="no-cache",
    )


@require_POST
@ratelimit(key="user_or_ip", rate="6/h", block=True)
def rebuild(request):
    organization = request.organization
    if not access.is_organization_admin_of(request.user, organization.pk):
        raise PermissionDenied
    from civitas.opendata.tasks import rebuild_archive

    Archive.objects.filter(organization=organization).update(requested_at=timezone.now())
    transaction.on_commit(lambda: rebuild_archive(organization.pk))
    messages.success(request, _("The archive is being rebuilt; it will be ready in a few minutes."))
    return redirect("opendata:index")
