from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _page_document(page):
    """Found by the component's name (the page's title) and its text."""
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = page.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=component.name,
        text=plain_text(page.body),
        url=component.get_absolute_url(),
        hidden=not component.is_published,
        date=page.updated_at,
    )


class PagesConfig(AppConfig):
    name = "civitas.components.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.pages.manifest import manifest
        from civitas.components.pages.models import Page
        from civitas.search.registry import register_searchable

        registry.register(manifest)
        register_searchable(
            "page",
            _("Pages"),
            Page,
            document=_page_document,
            queryset=lambda: Page.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            position=30,
            date_field="updated_at",
        )
