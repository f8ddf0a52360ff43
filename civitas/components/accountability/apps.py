from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _result_document(result):
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = result.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=result.title,
        text=plain_text(result.description),
        url=result.get_absolute_url(),
        hidden=not component.is_published,
        date=result.updated_at,
    )


class AccountabilityConfig(AppConfig):
    name = "civitas.components.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.accountability.manifest import manifest
        from civitas.components.accountability.models import Result
        from civitas.components.manifest import registry
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable

        registry.register(manifest)
        register_searchable(
            "accountability_result",
            _("Results"),
            Result,
            document=_result_document,
            queryset=lambda: Result.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=55,
            date_field="updated_at",
        )
        register_commentable(
            Result,
            component_of=lambda result: result.component,
            url_of=lambda result: result.get_absolute_url(),
            title_of=lambda result: result.title,
            count_field="comment_count",
        )
        from civitas.components.accountability import opendata  # noqa: F401  (registers its data set)
