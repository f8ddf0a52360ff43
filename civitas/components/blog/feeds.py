"""RSS and Atom feeds of a news component: the latest published posts, read without logging in.

A feed shows only what the component's page shows to a visitor: a private space's feed,
an unpublished component's and the posts not yet due are not found (404 or absent).
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from civitas.components.blog.models import Post
from civitas.components.models import Component
from civitas.core.richtext import plain_text

FEED_LENGTH = 20


class PostsFeed(Feed):
    def get_object(self, request, space_slug, component_id):
        component = get_object_or_404(
            Component.objects.select_related("space__organization"),
            space__organization=request.organization,
            space__slug=space_slug,
            pk=component_id,
            manifest_name="blog",
        )
        if not request.user.has_perm("components.view_component", component):
            raise Http404
        # Read as a visitor sees it, whoever asks: admins' drafts never reach a feed.
        if not component.is_published:
            raise Http404
        return component

    def title(self, component):
        return f"{component.name} · {component.space.title}"

    def link(self, component):
        return component.get_absolute_url()

    def description(self, component):
        return component.space.organization.name

    def items(self, component):
        posts = list(Post.objects.published().filter(component=component)[:FEED_LENGTH])
        for post in posts:
            post.component = component
        return posts

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return Truncator(plain_text(post.body)).chars(600)

    def item_link(self, post):
        return post.get_absolute_url()

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return post.signature()


class AtomPostsFeed(PostsFeed):
    feed_type = Atom1Feed
    subtitle = PostsFeed.description


def rss_feed(request, space_slug, component_id):
    return PostsFeed()(request, space_slug=space_slug, component_id=component_id)


def atom_feed(request, space_slug, component_id):
    return AtomPostsFeed()(request, space_slug=space_slug, component_id=component_id)
