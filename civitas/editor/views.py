from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.editor import services


@require_POST
def upload_image(request):
    """The editor's picture upload (``fetch`` with the CSRF header): JSON in and out."""
    if request.organization is None:
        raise PermissionDenied
    try:
        services.check_can_upload_image(request.user, request.organization)
    except PermissionDenied:
        return JsonResponse({"error": _("You may not add pictures.")}, status=403)
    uploaded = request.FILES.get("image")
    if uploaded is None:
        return JsonResponse({"error": _("Choose a picture to add.")}, status=400)
    try:
        image = services.do_upload_image(
            user=request.user, organization=request.organization, uploaded=uploaded
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"url": image.image.url, "width": image.width, "height": image.height})
