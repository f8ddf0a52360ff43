"""The news posts data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def post_rows(organization):
    from civitas.components.blog.models import Post

    posts = (
        Post.objects.published()
        .filter(component__published_at__isnull=False, component__space__in=public_spaces(organization))
        .select_related("component__space__organization")
        .order_by("pk")
    )
    for post in posts.iterator(chunk_size=500):
        yield {
            "id": post.pk,
            "space": post.component.space.slug,
            "component_id": post.component_id,
            "title": post.title,
            "text": plain_text(post.body),
            "signed_by": post.signature(),
            "published_at": post.published_at.isoformat(),
            "endorsements": post.endorsement_count,
            "comments": post.comment_count,
            "url": post.get_absolute_url(),
        }


register_dataset(
    "news_posts",
    _("News posts"),
    _("Published news posts of the public and transparent spaces."),
    columns=(
        Column("id", _("Number of the post on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the news component within the space")),
        Column("title", _("Title")),
        Column("text", _("Text of the post, as plain text")),
        Column("signed_by", _("The organization or group that signs the post")),
        Column("published_at", _("When the post was published, ISO 8601")),
        Column("endorsements", _("Number of endorsements")),
        Column("comments", _("Number of visible comments")),
        Column("url", _("Address of the post's page on the platform")),
    ),
    rows=post_rows,
    position=55,
)
