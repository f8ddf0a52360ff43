"""The budget projects the home page's map shows (registered from the app's ready())."""

from civitas.maps.home import register_home_markers
from civitas.maps.markers import MAX_MARKERS


def located_projects(request, spaces) -> list:
    """Projects with a place, in the published budgets components of the spaces shown."""
    from civitas.components.budgets.models import Project

    return list(
        Project.objects.filter(
            budget__component__published_at__isnull=False,
            budget__component__space__in=spaces,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("budget__component__space")
        .order_by("-pk")[:MAX_MARKERS]
    )


def register_home_markers_source() -> None:
    register_home_markers("budget_projects", located_projects)
