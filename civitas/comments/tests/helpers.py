"""A commentable resource without the proposals app: the page component's Page, registered here."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from civitas.comments import services
from civitas.comments.models import Comment
from civitas.comments.registry import register_commentable
from civitas.components.manifest import registry
from civitas.components.pages.models import Page
from civitas.components.services import do_add_component, do_set_component_published
from civitas.spaces.models import Space
from civitas.spaces.services import do_create_space, do_set_published


def page_url(page) -> str:
    component = page.component
    return reverse("pages:page", kwargs={"space_slug": component.space.slug, "component_id": component.pk})


def register_pages() -> None:
    register_commentable(Page, component_of=lambda page: page.component, url_of=page_url)


register_pages()


def make_page(organization, admin, *, title="Budget participatif", visibility=Space.Visibility.PUBLIC):
    space = do_create_space(organization=organization, user=admin, title=title, visibility=visibility)
    do_set_published(space=space, user=admin, published=True)
    component = do_add_component(space=space, user=admin, manifest=registry.get("pages"), name="Règlement")
    do_set_component_published(component=component, user=admin, published=True)
    return Page.objects.select_related("component__space").get(component=component)


def add(user, resource, body="Une idée intéressante.", **kwargs):
    return services.do_add_comment(user=user, resource=resource, body=body, **kwargs)


def add_many(resource, count: int, *, authors, start=None, step=timedelta(seconds=1)) -> list[Comment]:
    """``count`` top-level comments at once, without the checks of posting (spam scoring
    would hold so many alike), one a ``step`` after the other (zero: all at the same time);
    sorted oldest first."""
    start = start or timezone.now() - timedelta(days=1)
    content_type = ContentType.objects.get_for_model(resource)
    made = Comment.objects.bulk_create(
        Comment(
            organization_id=resource.component.space.organization_id,
            component=resource.component,
            content_type=content_type,
            object_id=resource.pk,
            author=authors[i % len(authors)],
            body=f"<p>Avis numéro {i}.</p>",
        )
        for i in range(count)
    )
    for i, comment in enumerate(made):
        comment.created_at = start + i * step
    Comment.objects.bulk_update(made, ["created_at"])
    return list(Comment.objects.filter(pk__in=[comment.pk for comment in made]).order_by("created_at", "pk"))


def add_url(resource) -> str:
    content_type = ContentType.objects.get_for_model(resource)
    return reverse("comments:add", args=[content_type.pk, resource.pk])


def list_url(resource) -> str:
    content_type = ContentType.objects.get_for_model(resource)
    return reverse("comments:list", args=[content_type.pk, resource.pk])
