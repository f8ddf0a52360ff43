"""The participatory texts component: a document imported, cut into articles, commented on
and amended article by article, published in numbered versions."""

from django.utils.translation import gettext_lazy as _

from civitas.amendments import settings_schema as amendment_settings
from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _statistics(component) -> dict[str, int]:
    from django.db.models import Count, Sum

    from civitas.components.participatory_texts.models import Article

    figures = Article.objects.filter(component=component, published_at__isnull=False).aggregate(
        articles=Count("pk"), comments=Sum("comment_count")
    )
    return {"articles": figures["articles"], "comments": figures["comments"] or 0}


def _demo(site) -> None:
    from civitas.components.participatory_texts.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="participatory_texts",
    verbose_name=_("Participatory text"),
    description=_("A document (a charter, a local plan) put online article by article for comments."),
    icon="page",
    settings=SettingsSchema((amendment_settings.visibility_setting(),)),
    phase_settings=SettingsSchema(
        (
            Setting(
                "comments_enabled", "boolean", label=_("Comments on the articles are open"), default=True
            ),
            Setting(
                "amendments_enabled", "boolean", label=_("Residents can amend the articles"), default=False
            ),
            amendment_settings.reactions_phase_setting(),
        )
    ),
    actions=(
        Action("amend", _("Amend an article"), phase_setting="amendments_enabled"),
        amendment_settings.react_action(),
    ),
    resources=("participatory_texts.Article",),
    public_urls="civitas.components.participatory_texts.urls",
    admin_urls="civitas.components.participatory_texts.admin_urls",
    admin_url_name="participatory_texts_admin:index",
    statistics=_statistics,
    demo=_demo,
)
