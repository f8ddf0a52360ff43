from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def article_heading(number, title) -> str:
    from django.utils.translation import gettext

    heading = gettext("Article %(number)s") % {"number": number}
    return f"{heading} — {title}" if title else heading


def _article_document(article):
    """Found by the words residents read: those of the latest published version holding it."""
    from civitas.components.participatory_texts.models import VersionEntry
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = article.component
    entry = VersionEntry.objects.filter(article=article).order_by("-version__number").first()
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=f"{component.name} · {article_heading(entry.number, entry.title)}" if entry else str(article),
        text=plain_text(entry.body) if entry else "",
        url=article.get_absolute_url(),
        hidden=entry is None or article.removed_at is not None or not component.is_published,
        date=article.published_at,
    )


def _can_read_working_history(user, article) -> bool:
    """An article's civitas.versions history is the working text between publications:
    every admin edit and accepted amendment before residents see them in a published
    version. Only the space's admins read it; residents compare the published versions of
    the text (``/…/versions/compare/``), which hold nothing unpublished."""
    return user.has_perm("spaces.admin_space", article.component.space)


class ParticipatoryTextsConfig(AppConfig):
    name = "civitas.components.participatory_texts"
    label = "participatory_texts"
    verbose_name = _("Participatory texts")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.manifest import registry
        from civitas.components.participatory_texts import rules  # noqa: F401  (registers the permission)
        from civitas.components.participatory_texts.manifest import manifest
        from civitas.components.participatory_texts.models import Article
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.versions.registry import register as keep_versions

        registry.register(manifest)
        register_commentable(
            Article,
            component_of=lambda article: article.component,
            url_of=lambda article: article.get_absolute_url(),
            title_of=lambda article: str(article),
            is_visible=lambda article: article.published_at is not None,
            count_field="comment_count",
            closed_reason=lambda article: (
                _("This article was taken out of the text.") if article.removed_at is not None else None
            ),
        )
        keep_versions(
            Article,
            fields=("title", "body"),
            rich_fields=("body",),
            organization_of=lambda article: article.component.space.organization,
            can_view=_can_read_working_history,
        )
        register_searchable(
            "participatory_text_article",
            _("Articles of participatory texts"),
            Article,
            document=_article_document,
            queryset=lambda: Article.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=45,
            date_field="published_at",
        )
        from civitas.components.participatory_texts import opendata  # noqa: F401  (registers its data set)
        from civitas.components.participatory_texts.amendable import register as register_amendable

        register_amendable()
