"""The debates data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def debate_rows(organization):
    from civitas.components.debates.models import Debate

    debates = (
        Debate.objects.visible()
        .filter(component__published_at__isnull=False, component__space__in=public_spaces(organization))
        .select_related("component__space")
        .order_by("pk")
    )
    for debate in debates.iterator(chunk_size=500):
        yield {
            "id": debate.pk,
            "space": debate.component.space.slug,
            "component_id": debate.component_id,
            "title": debate.title,
            "description": plain_text(debate.description),
            "opened_by": "institution" if debate.is_official else "participant",
            "published_at": debate.published_at.isoformat(),
            "closed_at": debate.closed_at.isoformat() if debate.closed_at else "",
            "conclusion": plain_text(debate.conclusion),
            "comments": debate.comment_count,
            "url": debate.get_absolute_url(),
        }


register_dataset(
    "debates",
    _("Debates"),
    _("Published debates of the public and transparent spaces, with their conclusions."),
    columns=(
        Column("id", _("Number of the debate on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the debates component within the space")),
        Column("title", _("Title")),
        Column("description", _("Description, as plain text")),
        Column("opened_by", _("institution or participant")),
        Column("published_at", _("When the debate opened, ISO 8601")),
        Column("closed_at", _("When it was closed (empty: still open)")),
        Column("conclusion", _("Conclusion, as plain text")),
        Column("comments", _("Number of visible comments")),
        Column("url", _("Address of the debate's page on the platform")),
    ),
    rows=debate_rows,
    position=50,
)
