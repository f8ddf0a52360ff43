"""The results (follow-up) data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def result_rows(organization):
    from civitas.components.accountability.progress import progress_of_component
    from civitas.components.models import Component

    components = Component.objects.filter(
        manifest_name="accountability", published_at__isnull=False, space__in=public_spaces(organization)
    ).select_related("space")
    for component in components.order_by("pk").iterator(chunk_size=100):
        tree = progress_of_component(component)  # one query per component: progress needs the whole tree
        for result in tree.results:
            yield {
                "id": result.pk,
                "space": component.space.slug,
                "component_id": component.pk,
                "reference": result.reference,
                "parent_id": result.parent_id or "",
                "title": result.title,
                "description": plain_text(result.description),
                "status": result.status.name if result.status_id else "",
                "progress": tree.percent(result.pk),
                "start_date": result.start_date.isoformat() if result.start_date else "",
                "end_date": result.end_date.isoformat() if result.end_date else "",
                "themes": "|".join(theme.name for theme in result.themes.all()),
                "url": result.get_absolute_url(),
            }


register_dataset(
    "accountability_results",
    _("Results and their progress"),
    _("What became of the winning projects and accepted proposals: results, sub-results and progress."),
    columns=(
        Column("id", _("Number of the result on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the accountability component within the space")),
        Column("reference", _("Reference given by the organization (may be empty)")),
        Column("parent_id", _("Number of the result this one is part of (empty for a top-level result)")),
        Column("title", _("Title")),
        Column("description", _("Description, as plain text")),
        Column("status", _("Status")),
        Column("progress", _("Progress in percent, computed from the sub-results when there are some")),
        Column("start_date", _("Start date, ISO 8601 (may be empty)")),
        Column("end_date", _("End date, ISO 8601 (may be empty)")),
        Column("themes", _("Themes, separated by |")),
        Column("url", _("Address of the result's page on the platform")),
    ),
    rows=result_rows,
    position=55,
)
