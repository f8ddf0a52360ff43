"""Progress of a component's results, read in one query and rolled up by :mod:`.rollup`."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from civitas.components.accountability.models import Result
from civitas.components.accountability.rollup import Node, average_of, rolled_up_progress


@dataclass
class ThemeProgress:
    theme: object
    percent: int
    count: int


@dataclass
class ProgressTree:
    results: list[Result]
    progress: dict[int, Fraction]
    children: dict[int | None, list[Result]] = field(default_factory=dict)

    def percent(self, result_id: int) -> int:
        return round(self.progress.get(result_id, Fraction(0)))

    @property
    def roots(self) -> list[Result]:
        return self.children.get(None, [])

    def overall(self) -> int | None:
        value = average_of(self.progress, [result.pk for result in self.roots])
        return None if value is None else round(value)

    def by_theme(self) -> list[ThemeProgress]:
        """Each theme's bar: the average of the top-level results carrying that theme."""
        members: dict[int, tuple[object, list[int]]] = {}
        for result in self.roots:
            for theme in result.themes.all():
                members.setdefault(theme.pk, (theme, []))[1].append(result.pk)
        rows = []
        for theme, ids in members.values():
            rows.append(ThemeProgress(theme, round(average_of(self.progress, ids)), len(ids)))
        return sorted(rows, key=lambda row: row.theme.name)


def progress_of_component(component) -> ProgressTree:
    results = list(
        Result.objects.filter(component=component).select_related("status").prefetch_related("themes")
    )
    for result in results:
        result.component = component
    method = component.current_settings()["progress_rollup"]
    nodes = [Node(r.pk, r.parent_id, r.own_progress, r.weight) for r in results]
    tree = ProgressTree(results, rolled_up_progress(nodes, method))
    for result in results:
        result.percent = tree.percent(result.pk)
        parent = result.parent_id if result.parent_id in tree.progress else None
        tree.children.setdefault(parent, []).append(result)
    return tree


@dataclass
class SpaceProgress:
    component: object
    percent: int
    count: int


def progress_by_space(organization, user) -> list[SpaceProgress]:
    """One bar per space of the organization that follows results the visitor may see."""
    from civitas.components.models import Component

    components = (
        Component.objects.filter(manifest_name="accountability", space__organization=organization)
        .select_related("space__active_phase")
        .order_by("space__title", "position", "pk")
    )
    rows = []
    for component in components:
        if not user.has_perm("components.view_component", component):
            continue
        tree = progress_of_component(component)
        overall = tree.overall()
        if overall is not None:
            rows.append(SpaceProgress(component, overall, len(tree.roots)))
    return rows
