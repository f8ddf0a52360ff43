"""Where posts show outside their component: the home page's block and the space's page."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from civitas.homepage.builtin import visible_spaces
from civitas.homepage.forms import CountForm
from civitas.homepage.registry import BlockType, register_block_type

SPACE_PAGE_POSTS = 3


def latest_posts(spaces, count: int) -> list:
    """The newest posts due, of published news components in the spaces given: one query."""
    from civitas.components.blog.models import Post

    posts = (
        Post.objects.published()
        .filter(component__published_at__isnull=False, component__space__in=spaces)
        .select_related("component__space__organization")
        .order_by("-published_at", "-pk")
    )
    return list(posts[:count])


def latest_news(request, block) -> dict | None:
    posts = latest_posts(visible_spaces(request), int(block.settings.get("count", 3)))
    return {"posts": posts} if posts else None


def space_section(request, component) -> str:
    """The latest news on the space's page (the space view has checked who may see it)."""
    from civitas.components.blog.models import Post

    posts = list(Post.objects.published().filter(component=component)[:SPACE_PAGE_POSTS])
    if not posts:
        return ""
    for post in posts:
        post.component = component
    return render_to_string(
        "blog/space_section.html", {"component": component, "posts": posts}, request=request
    )


def register_home_blocks() -> None:
    register_block_type(
        BlockType(
            name="latest_news",
            label=_("Latest news"),
            description=_("The newest news posts of the spaces the visitor may see."),
            heading=_("Latest news"),
            template="blog/home_block.html",
            context=latest_news,
            form=CountForm,
            position=25,
        )
    )
