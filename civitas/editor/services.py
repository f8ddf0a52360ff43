"""Pictures for texts: checked, re-encoded, stored under a random name, logged."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from civitas.actionlog.services import log_action
from civitas.core.images import validate_uploaded_image
from civitas.editor.models import EditorImage


def check_can_upload_image(user, organization) -> None:
    if not user.is_authenticated or not user.has_perm("editor.upload_image", organization):
        raise PermissionDenied


@transaction.atomic
def do_upload_image(*, user, organization, uploaded) -> EditorImage:
    """Store uploaded (an image file) for organization; raises ValidationError when it is not
    an image we take (type, size, dimensions), PermissionDenied when user may not upload."""
    check_can_upload_image(user, organization)
    validate_uploaded_image(uploaded)
    image = EditorImage(organization=organization)
    image.image.save(uploaded.name or "image", uploaded, save=False)
    image.width, image.height = image.image.width, image.image.height
    image.save()
    log_action(
        organization=organization,
        user=user,
        action="editor.image_upload",
        target=image,
        after={"image": image.image.name, "width": image.width, "height": image.height},
    )
    return image
