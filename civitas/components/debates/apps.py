from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _debate_document(debate):
    from civitas.core.richtext import plain_text
    from civitas.search.builtin import author_is_visible
    from civitas.search.registry import Document

    component = debate.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=debate.title,
        text=" ".join((plain_text(debate.description), plain_text(debate.conclusion))),
        url=debate.get_absolute_url(),
        hidden=debate.published_at is None
        or debate.hidden_at is not None
        or not component.is_published
        or not author_is_visible(debate.author),
        author_id=debate.author_id,
        date=debate.published_at,
    )


def debate_authors(organization):
    """Activity source: participants who opened a visible debate."""
    from civitas.components.debates.models import Debate
    from civitas.core.activity import in_public_components

    return (
        Debate.objects.visible()
        .filter(component__space__organization=organization, author__isnull=False)
        .filter(in_public_components())
        .values("author_id")
    )


class DebatesConfig(AppConfig):
    name = "civitas.components.debates"
    label = "debates"
    verbose_name = _("Debates")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.debates import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.components.debates.manifest import manifest
        from civitas.components.debates.models import Debate
        from civitas.components.manifest import registry
        from civitas.core.activity import register_activity_source
        from civitas.moderation.registry import register_moderatable
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        register_commentable(
            Debate,
            component_of=lambda debate: debate.component,
            url_of=lambda debate: debate.get_absolute_url(),
            title_of=lambda debate: debate.title,
            count_field="comment_count",
            closed_reason=lambda debate: _("The debate is closed.") if debate.is_closed else None,
        )
        register_moderatable(
            Debate,
            space_of=lambda debate: debate.component.space,
            author_of=lambda debate: debate.author,
            title_of=lambda debate: debate.title,
            text_field="description",  # what spam scoring reads
        )
        register_activity_source(debate_authors)
        register_searchable(
            "debate",
            _("Debates"),
            Debate,
            document=_debate_document,
            queryset=lambda: Debate.objects.select_related("component__space", "author"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=40,
            date_field="published_at",
        )
        register_participation(
            "debate",
            _("Debates opened"),
            lambda: Debate.objects.visible().filter(author__isnull=False),
            user_field="author",
            space_field="component__space",
            date_field="published_at",
            position=50,
            counted=ngettext_lazy("%(count)s debate opened", "%(count)s debates opened", "count"),
        )
        from civitas.components.debates import opendata  # noqa: F401  (registers its data set)
