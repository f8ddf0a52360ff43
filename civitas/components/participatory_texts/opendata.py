"""The participatory texts data set of the open-data archive: each article of the latest
published version of every text, with its comment count."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def article_rows(organization):
    from django.db.models import Max, OuterRef, Subquery

    from civitas.components.participatory_texts.models import TextVersion, VersionEntry

    latest = (
        TextVersion.objects.filter(component=OuterRef("version__component"))
        .values("component")
        .annotate(last=Max("number"))
        .values("last")
    )
    entries = (
        VersionEntry.objects.filter(
            version__component__published_at__isnull=False,
            version__component__space__in=public_spaces(organization),
            version__number=Subquery(latest),
        )
        .select_related("version__component__space", "article")
        .order_by("version__component_id", "position")
    )
    section = ""
    for entry in entries.iterator(chunk_size=500):
        if entry.kind == "section":
            section = entry.title
            continue
        component = entry.version.component
        yield {
            "id": entry.article_id,
            "space": component.space.slug,
            "component_id": component.pk,
            "text_version": entry.version.number,
            "published_at": entry.version.published_at.isoformat(),
            "number": entry.number,
            "section": section,
            "title": entry.title,
            "body": plain_text(entry.body),
            "comments": entry.article.comment_count if entry.article else 0,
            "url": f"{component.get_absolute_url()}articles/{entry.article_id}/",
        }


register_dataset(
    "participatory_texts",
    _("Participatory texts"),
    _(
        "Articles of the latest published version of each participatory text "
        "of the public and transparent spaces."
    ),
    columns=(
        Column("id", _("Number of the article on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the participatory text within the space")),
        Column("text_version", _("Number of the published version of the text")),
        Column("published_at", _("When that version was published, ISO 8601")),
        Column("number", _("Number of the article in the text")),
        Column("section", _("Title of the section holding the article")),
        Column("title", _("Title of the article (may be empty)")),
        Column("body", _("Text of the article, as plain text")),
        Column("comments", _("Number of visible comments on the article")),
        Column("url", _("Address of the article's page on the platform")),
    ),
    rows=article_rows,
    position=55,
)
