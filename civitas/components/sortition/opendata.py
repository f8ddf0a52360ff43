"""The sortition data set of the open-data archive: published lotteries and their draws.

Only what the public page already shows: hashes, seeds and pseudonymous codes, never a
volunteer's name or answers.
"""

import json

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
        rule = panel.seed_rule
        reveals = json.dumps(panel.seed_reveals, ensure_ascii=False) if panel.seed_reveals else ""
        yield {
            "space": component.space.slug,
            "component_id": component.pk,
            "title": component.name,
            "panel_size": panel.panel_size,
            "alternates": panel.alternates,
            "method": panel.method,
            "lottery_sha256": panel.lottery_hash,
            "published_at": panel.published_at.isoformat(),
            "seed_kind": rule["kind"] if rule else "",
            "seed_source": panel.seed_source,
            "seed_known_at": rule["draw_at"] if rule else "",
            "seed": panel.seed,
            "revealed_secrets": reveals,
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
        Column("seed_kind", _("public_draw (the numbers of a stated public draw) or commit_reveal")),
        Column("seed_source", _("Where the seed comes from, as fixed at publication")),
        Column("seed_known_at", _("Time announced at publication from which the seed could be entered")),
        Column("seed", _("Seed entered at the draw (empty: not drawn yet)")),
        Column("revealed_secrets", _("Commit–reveal: the contributors' secrets, in the file's order (JSON)")),
        Column("drawn_at", _("When the panel was drawn")),
        Column("panel", _("Codes of the panel members, separated by spaces")),
        Column("alternate_codes", _("Codes of the alternates, in order")),
        Column("url", _("Address of the panel's page on the platform")),
    ),
    rows=draw_rows,
    position=60,
)
