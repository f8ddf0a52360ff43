"""The "page" component: one sanitized rich-text page. The reference for new components.

A component type is an app that declares a manifest (settings, per-phase settings,
actions, resources, hooks) and registers it in its AppConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import ComponentManifest
from civitas.components.schema import Setting, SettingsSchema
from civitas.core.richtext import plain_text


def _create_page(component) -> None:
    from civitas.components.pages.models import Page

    Page.objects.get_or_create(component=component)


def _copy_page(source, copy) -> None:
    """A copied space's page keeps the text its admins wrote."""
    from civitas.components.pages.models import Page

    written = Page.objects.filter(component=source).values_list("body", flat=True).first()
    if written:
        Page.objects.filter(component=copy).update(body=written)


def _page_of(component):
    from civitas.components.pages.models import Page

    return Page.objects.filter(component=component).first()


def _statistics(component) -> dict[str, int]:
    page = _page_of(component)
    return {"pages": 1 if page and page.body else 0}


def _open_data(component):
    page = _page_of(component)
    yield (
        "pages",
        [
            {
                "space": component.space.slug,
                "component_id": component.pk,
                "title": component.name,
                "text": plain_text(page.body) if page else "",
                "updated_at": page.updated_at.isoformat() if page else "",
            }
        ],
    )


def _demo(site) -> None:
    from civitas.components.pages.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="pages",
    verbose_name=_("Page"),
    description=_("A page of text: the rules of a budget, the charter of a convention…"),
    icon="page",
    settings=SettingsSchema(
        (
            Setting(
                "show_update_date", "boolean", label=_("Show when the page was last updated"), default=True
            ),
        )
    ),
    phase_settings=SettingsSchema(
        (
            Setting(
                "announcement",
                "text",
                label=_("Announcement shown above the page during this phase"),
                max_length=500,
            ),
        )
    ),
    resources=("pages.Page",),
    public_urls="civitas.components.pages.urls",
    admin_urls="civitas.components.pages.admin_urls",
    admin_url_name="pages_admin:edit",
    on_create=_create_page,
    on_copy=_copy_page,
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
