from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _post_document(post):
    """Hidden until its date: a scheduled post is indexed again then (``tasks``)."""
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = post.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=post.title,
        text=plain_text(post.body),
        url=post.get_absolute_url(),
        hidden=not post.is_published or not component.is_published,
        date=post.published_at,
    )


def _may_see_image(request, post) -> bool:
    return request.user.has_perm("blog.view_post", post)


class BlogConfig(AppConfig):
    name = "civitas.components.blog"
    label = "blog"
    verbose_name = _("News")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.blog import (
            exports,  # noqa: F401  (registers the GDPR export)
            opendata,  # noqa: F401  (registers its data set)
        )
        from civitas.components.blog.home import register_home_blocks
        from civitas.components.blog.manifest import manifest
        from civitas.components.blog.models import Endorsement, Post
        from civitas.components.blog.tasks import SEARCH_TYPE
        from civitas.components.manifest import registry
        from civitas.core.media import register_media
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        register_home_blocks()
        # A post's image is seen by whoever may read the post: its admins always, the
        # component's readers from its publication date on.
        register_media(
            Post,
            "image",
            organization_field="component__space__organization",
            may_see=_may_see_image,
            download_name=lambda post: f"news-{post.pk}",
            select_related=("component__space",),
            thumbnails=("card",),
        )
        register_commentable(
            Post,
            component_of=lambda post: post.component,
            url_of=lambda post: post.get_absolute_url(),
            title_of=lambda post: post.title,
            is_visible=lambda post: post.is_published,
            count_field="comment_count",
        )
        register_searchable(
            SEARCH_TYPE,
            _("News"),
            Post,
            document=_post_document,
            queryset=lambda: Post.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=45,
            date_field="published_at",
        )
        register_participation(
            "news_endorsement",
            _("News posts endorsed"),
            lambda: Endorsement.objects.filter(
                post__published_at__isnull=False, post__component__published_at__isnull=False
            ),
            user_field="user",
            space_field="post__component__space",
            date_field="created_at",
            position=85,
            counted=ngettext_lazy(
                "%(count)s endorsement of a news post", "%(count)s endorsements of news posts", "count"
            ),
        )
