"""The sortition data set of the open-data archive: published lotteries and their draws.

Only what the public page already shows: hashes, seeds and pseudonymous codes, never a
volunteer's name or answers.
"""

from django.utils.translation import gettext_lazy as _

from civitas.opendata.registry import Column, public_spaces, register_dataset


def draw_rows(organization):
    from civitas.components.sortition.models import Panel

    panels = (
        Panel.objects.filter(
            published_at__isnull=False,
            component__published_at__isnull=False,
            component__space__in=public_spaces(organization),
        )
        .select_related("component__space")
        .order_by("pk")
    )
    for panel in panels.iterator(chunk_size=200):
        component = panel.component
        yield {
            "space": component.space.slug,
            "component_id": component.pk,
            "title": component.name,
            "panel_size": panel.panel_size,
            "alternates": panel.alternates,
            "method": panel.method,
            "lottery_sha256": panel.lottery_hash,
            "published_at": panel.published_at.isoformat(),
            "seed": panel.seed,
            "seed_source": panel.seed_source,
            "drawn_at": panel.drawn_at.isoformat() if panel.drawn_at else "",
            "panel": " ".join(panel.selected_codes),
            "alternate_codes": " ".join(panel.alternate_codes),
            "url": component.get_absolute_url(),
        }


register_dataset(
    "sortition_draws",
    _("Citizen panels drawn by lot"),
    _("Published lotteries of the citizen panels and their draws, by pseudonymous codes."),
    columns=(
        Column("space", _("Short name of the space in the addresses of its pages")),
        Column("component_id", _("Number of the panel component within the space")),
        Column("title", _("Name of the panel")),
        Column("panel_size", _("Seats on the panel")),
        Column("alternates", _("Number of alternates")),
        Column("method", _("leximin or uniform")),
        Column("lottery_sha256", _("SHA-256 of the published lottery file")),
        Column("published_at", _("When the lottery was published, ISO 8601")),
        Column("seed", _("Seed entered at the draw (empty: not drawn yet)")),
        Column("seed_source", _("Where the seed came from")),
        Column("drawn_at", _("When the panel was drawn")),
        Column("panel", _("Codes of the panel members, separated by spaces")),
        Column("alternate_codes", _("Codes of the alternates, in order")),
        Column("url", _("Address of the panel's page on the platform")),
    ),
    rows=draw_rows,
    position=60,
)
