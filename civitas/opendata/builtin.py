"""Open-data sets of the core apps: spaces, comments and participation figures.

Components register their own data sets (e.g. ``civitas/components/proposals/opendata.py``)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def _iso(value) -> str:
    return value.isoformat() if value else ""


def space_rows(organization):
    for space in public_spaces(organization).order_by("pk").iterator(chunk_size=500):
        yield {
            "id": space.pk,
            "slug": space.slug,
            "kind": space.kind,
            "title": space.title,
            "subtitle": space.subtitle,
            "description": plain_text(space.description),
            "visibility": space.visibility,
            "start_date": _iso(space.start_date),
            "end_date": _iso(space.end_date),
            "published_at": _iso(space.published_at),
            "url": f"/spaces/{space.slug}/",
        }


COMMENT_CHUNK = 2000
# Visibility of resources already looked up; emptied past this size (memory stays bounded).
MAX_REMEMBERED_RESOURCES = 50_000


def comment_rows(organization):
    from civitas.comments.models import Comment
    from civitas.comments.registry import all_commentables
    from civitas.components.models import Component

    types = {
        ContentType.objects.get_for_model(entry.model).pk: entry.model._meta.model_name
        for entry in all_commentables()
    }
    spaces = public_spaces(organization)
    space_of_component = dict(Component.objects.filter(space__in=spaces).values_list("pk", "space__slug"))
    comments = (
        Comment.objects.visible()
        .filter(
            organization=organization,
            deleted_at__isnull=True,
            component__published_at__isnull=False,
            component__space__in=spaces,
        )
        .order_by("pk")
    )
    visible: dict[tuple[int, int], bool] = {}
    for chunk in _chunks(comments.iterator(chunk_size=COMMENT_CHUNK), COMMENT_CHUNK):
        if len(visible) > MAX_REMEMBERED_RESOURCES:
            visible.clear()
        _learn_visibility(visible, {(comment.content_type_id, comment.object_id) for comment in chunk})
        for comment in chunk:
            if not visible[(comment.content_type_id, comment.object_id)]:
                continue
            yield {
                "id": comment.pk,
                "resource_type": types.get(comment.content_type_id, ""),
                "resource_id": comment.object_id,
                "space": space_of_component[comment.component_id],
                "component_id": comment.component_id,
                "parent_id": comment.parent_id or "",
                "depth": comment.depth,
                "position": comment.alignment,
                "body": plain_text(comment.body),
                "up_votes": comment.ups,
                "down_votes": comment.downs,
                "created_at": _iso(comment.created_at),
            }


def _chunks(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _learn_visibility(visible: dict[tuple[int, int], bool], keys: set[tuple[int, int]]) -> None:
    """Whether the public sees each commented resource, read a content type at a time: one
    query per chunk of comments, not one per resource (see bench/national_bulk.py)."""
    from civitas.comments.registry import commentable_for, load_commented

    unknown = keys - visible.keys()
    loaded = load_commented(unknown)
    for key in unknown:
        resource = loaded.get(key)
        entry = commentable_for(resource) if resource is not None else None
        visible[key] = entry is not None and bool(entry.is_visible(resource))


def participation_rows(organization):
    """Aggregated: contributions per space, action and month; never a person."""
    from civitas.stats.services import contributions_by_space_and_month

    for space_slug, key, month, count in contributions_by_space_and_month(
        organization, public_spaces(organization)
    ):
        yield {"space": space_slug, "action": key, "month": month.strftime("%Y-%m"), "count": count}


def register_core_datasets() -> None:
    register_dataset(
        "spaces",
        _("Spaces"),
        _("Published participatory spaces that are public or transparent."),
        columns=(
            Column("id", _("Number of the space on the platform")),
            Column("slug", _("Short name of the space in addresses")),
            Column("kind", _("process (phases) or assembly (members)")),
            Column("title", _("Title")),
            Column("subtitle", _("Subtitle")),
            Column("description", _("Description, as plain text")),
            Column("visibility", _("public or transparent")),
            Column("start_date", _("Start date, ISO 8601 (may be empty)")),
            Column("end_date", _("End date, ISO 8601 (may be empty)")),
            Column("published_at", _("When the space was published")),
            Column("url", _("Address of the space's page on the platform")),
        ),
        rows=space_rows,
        position=10,
    )
    register_dataset(
        "comments",
        _("Comments"),
        _("Visible comments, without their authors: no name, nickname or account number."),
        columns=(
            Column("id", _("Number of the comment")),
            Column("resource_type", _("What is commented on: proposal, meeting, debate…")),
            Column("resource_id", _("Number of what is commented on, in its own file")),
            Column("space", _("Short name of the space in addresses")),
            Column("component_id", _("Number of the component within the space")),
            Column("parent_id", _("Number of the comment this one answers (empty for a comment)")),
            Column("depth", _("0 for a comment, 1 for a reply, 2 for a reply to a reply")),
            Column("position", _("for, against or neutral")),
            Column("body", _("Text of the comment, as plain text")),
            Column("up_votes", _("Number of up votes")),
            Column("down_votes", _("Number of down votes")),
            Column("created_at", _("When the comment was written")),
        ),
        rows=comment_rows,
        position=90,
    )
    register_dataset(
        "participation",
        _("Participation"),
        _(
            "Number of contributions per space, kind of action and month, by accounts that are "
            "neither blocked nor deleted."
        ),
        columns=(
            Column("space", _("Short name of the space in addresses")),
            Column("action", _("Kind of contribution: proposal, support, comment, meeting_registration…")),
            Column("month", _("Month, YYYY-MM")),
            Column("count", _("Number of contributions")),
        ),
        rows=participation_rows,
        position=200,
    )
