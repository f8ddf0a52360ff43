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


def comment_rows(organization):
    from civitas.comments.models import Comment
    from civitas.comments.registry import all_commentables

    types = {
        ContentType.objects.get_for_model(entry.model).pk: entry.model._meta.model_name
        for entry in all_commentables()
    }
    comments = (
        Comment.objects.visible()
        .filter(
            organization=organization,
            deleted_at__isnull=True,
            component__published_at__isnull=False,
            component__space__in=public_spaces(organization),
        )
        .select_related("component__space")
        .order_by("pk")
    )
    visible_cache: dict[tuple[int, int], bool] = {}
    for comment in comments.iterator(chunk_size=2000):
        key = (comment.content_type_id, comment.object_id)
        if key not in visible_cache:
            if len(visible_cache) > 10_000:
                visible_cache.clear()  # bounded memory on very large exports
            resource = comment.commentable
            entry = resource is not None and _commentable(resource)
            visible_cache[key] = bool(entry) and entry.is_visible(resource)
        if not visible_cache[key]:
            continue
        yield {
            "id": comment.pk,
            "resource_type": types.get(comment.content_type_id, ""),
            "resource_id": comment.object_id,
            "space": comment.component.space.slug,
            "component_id": comment.component_id,
            "parent_id": comment.parent_id or "",
            "depth": comment.depth,
            "position": comment.alignment,
            "body": plain_text(comment.body),
            "up_votes": comment.ups,
            "down_votes": comment.downs,
            "created_at": _iso(comment.created_at),
        }


def _commentable(resource):
    from civitas.comments.registry import commentable_for

    return commentable_for(resource)


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
