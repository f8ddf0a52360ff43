"""Serving uploaded files: only to those who may see what they belong to.

Every app declares, from its ``AppConfig.ready()``, which fields of which models hold
files and who may see them::

    register_media(
        Proposal,
        "image",
        organization_field="component__space__organization",
        may_see=lambda request, proposal: ...,  # the rule of the proposal's page
        download_name=lambda proposal: f"proposal-{proposal.pk}",
    )

``/media/<name>`` finds the rows of the request's organization whose field holds that
name and answers with the file only if the request may see one of them; otherwise 404,
the same answer as for a name that does not exist. A file nobody registered is never
served. Old names (kept from before random names) are checked the same way.

Only re-encoded images (``ReencodedImageField``) are served inline; anything else is an
attachment (typed from a short list, application/octet-stream otherwise), so a file
that a browser might render (HTML, PDF, SVG) never opens in the organization's origin.
Every answer carries ``nosniff`` and a CSP that forbids scripts.

In production nginx sends the bytes: with ``CIVITAS_MEDIA_ACCEL_REDIRECT`` set (e.g.
``/protected-media/``), the answer is empty with ``X-Accel-Redirect`` naming the file
under that internal location (see the README for the nginx configuration).
"""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from civitas.core.thumbnails import EXTENSION as THUMBNAIL_EXTENSION
from civitas.core.thumbnails import aliases_of, parse_thumbnail_name, register_thumbnails
from civitas.core.uploads import REENCODED_NAME, ReencodedImageField

# What an attachment may be labelled; any other file is application/octet-stream.
ATTACHMENT_TYPES = {
    "application/zip",
    "application/pdf",
    "text/csv",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
}
INLINE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", THUMBNAIL_EXTENSION: "image/webp"}
# Nothing in a served file may run or load anything, even if a browser renders it.
MEDIA_CSP = "default-src 'none'; sandbox"
# Browsers keep a file an hour; shared caches never keep one (it may be private).
CACHE_CONTROL = "private, max-age=3600"
# A name with more owners than this is not a real upload (no image is shared that widely).
MAX_OWNERS_CHECKED = 50


@dataclass(frozen=True)
class MediaField:
    model: type
    field: str
    organization_field: str
    may_see: Callable[[Any, Any], bool]
    download_name: Callable[[Any], str]
    select_related: tuple[str, ...] = ()

    @property
    def reencoded(self) -> bool:
        return isinstance(self.model._meta.get_field(self.field), ReencodedImageField)


_fields: dict[str, MediaField] = {}


def _default_download_name(obj) -> str:
    return f"{obj._meta.model_name}-{obj.pk}"


def register_media(
    model,
    field: str,
    *,
    organization_field: str,
    may_see: Callable[[Any, Any], bool],
    download_name: Callable[[Any], str] | None = None,
    select_related: tuple[str, ...] = (),
    thumbnails: tuple[str, ...] = (),
) -> MediaField:
    """Declare that ``model.field`` holds stored file names.

    ``organization_field`` leads from the model to its organization (a lookup path);
    ``may_see(request, obj)`` says whether this request may get the file; and
    ``download_name(obj)`` is the file's name when saved, without extension.
    ``thumbnails`` names the shapes (``civitas.core.thumbnails.SHAPES``) a re-encoded
    image is cut in when saved; they are served under the image's own rule.
    Registering the same field again replaces its entry.
    """
    if thumbnails:
        if not isinstance(model._meta.get_field(field), ReencodedImageField):
            raise ValueError(f"{model._meta.label}.{field}: only re-encoded images have thumbnails.")
        register_thumbnails(model, field, thumbnails)
    entry = MediaField(
        model=model,
        field=field,
        organization_field=organization_field,
        may_see=may_see,
        download_name=download_name or _default_download_name,
        select_related=select_related,
    )
    _fields[f"{model._meta.label_lower}.{field}"] = entry
    return entry


def visible_owner(request, name: str) -> tuple[MediaField, Any] | None:
    """The first registered row of the request's organization holding ``name`` that it may see."""
    if request.organization is None:
        return None
    for entry in _fields.values():
        rows = entry.model._default_manager.filter(
            **{entry.field: name, entry.organization_field: request.organization.pk}
        ).select_related(*entry.select_related)
        for row in rows[:MAX_OWNERS_CHECKED]:
            if entry.may_see(request, row):
                return entry, row
    return None


def _clean_name(name: str) -> str:
    # Stored names are relative paths of plain segments; anything else names no upload.
    if not name or name.startswith("/") or "\\" in name or "\0" in name:
        raise Http404
    if posixpath.normpath(name) != name or name.split("/", 1)[0] == "..":
        raise Http404
    return name


def send_stored_file(
    name: str, *, download_name: str, inline: bool, content_type: str, cache_control: str = CACHE_CONTROL
) -> HttpResponse:
    """Answer with a stored file: streamed by Django, or by nginx with X-Accel-Redirect.

    The caller has checked that the request may have it.
    """
    prefix = settings.CIVITAS_MEDIA_ACCEL_REDIRECT
    if prefix:
        if not default_storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    response["Cache-Control"] = cache_control
    return response


def _attachment_type(name: str) -> str:
    guessed, encoding = mimetypes.guess_type(name)
    return guessed if guessed in ATTACHMENT_TYPES and encoding is None else "application/octet-stream"


def _serve_thumbnail(request, name: str, source: str, alias: str):
    # A thumbnail is served to whoever may see the image it was cut from, on that
    # image's host, and only in a size its field is cut in.
    found = visible_owner(request, source)
    if found is None:
        raise Http404
    entry, owner = found
    if not entry.reencoded or alias not in aliases_of(entry.model, entry.field):
        raise Http404
    return send_stored_file(
        name,
        download_name=f"{entry.download_name(owner)}-{alias}{THUMBNAIL_EXTENSION}",
        inline=True,
        content_type=INLINE_TYPES[THUMBNAIL_EXTENSION],
    )


@require_safe
def serve_media(request, path: str):
    name = _clean_name(path)
    thumbnail = parse_thumbnail_name(name)
    if thumbnail is not None:
        return _serve_thumbnail(request, name, *thumbnail)
    found = visible_owner(request, name)
    if found is None:
        raise Http404
    entry, owner = found
    extension = posixpath.splitext(name)[1].lower()
    inline = entry.reencoded and REENCODED_NAME.fullmatch(name) is not None
    content_type = INLINE_TYPES[extension] if inline else _attachment_type(name)
    return send_stored_file(
        name,
        download_name=entry.download_name(owner) + extension,
        inline=inline,
        content_type=content_type,
    )
