"""The accountability component: the public follow-up of what was decided."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import ComponentManifest
from civitas.components.schema import Setting, SettingsSchema
from civitas.core.richtext import plain_text

ROLLUPS = (
    ("average", _("Average of the sub-results")),
    ("weighted", _("Average weighted by each sub-result's weight")),
)


def _statistics(component) -> dict[str, int]:
    from civitas.components.accountability.models import Result

    return {"results": Result.objects.filter(component=component).count()}


def _open_data(component):
    from civitas.components.accountability.progress import progress_of_component

    tree = progress_of_component(component)
    rows = [
        {
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
        }
        for result in tree.results
    ]
    yield "results", rows


def _demo(site) -> None:
    from civitas.components.accountability.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="accountability",
    verbose_name=_("Accountability"),
    description=_("Follow what became of the winning projects and accepted proposals, with their progress."),
    icon="accountability",
    settings=SettingsSchema(
        (
            Setting(
                "progress_rollup",
                "choice",
                label=_("Progress of a result with sub-results"),
                choices=ROLLUPS,
                default="average",
            ),
        )
    ),
    phase_settings=SettingsSchema(
        (Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),)
    ),
    resources=("accountability.Result", "accountability.Status", "accountability.TimelineEntry"),
    public_urls="civitas.components.accountability.urls",
    admin_urls="civitas.components.accountability.admin_urls",
    admin_url_name="accountability_admin:index",
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
