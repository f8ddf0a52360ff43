"""The participatory-budget projects data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def budget_project_rows(organization):
    from civitas.components.budgets.models import Project
    from civitas.components.budgets.results import results_visible

    projects = (
        Project.objects.filter(
            budget__component__published_at__isnull=False,
            budget__component__space__in=public_spaces(organization),
        )
        .select_related("budget__component__space")
        .order_by("pk")
    )
    shown: dict[int, bool] = {}
    for project in projects.iterator(chunk_size=500):
        budget = project.budget
        if budget.pk not in shown:
            shown[budget.pk] = results_visible(budget)
        # Votes and winners only once the vote is closed and its results are shown.
        tally = (budget.tally or {}) if shown[budget.pk] else {}
        yield {
            "id": project.pk,
            "space": budget.component.space.slug,
            "component_id": budget.component_id,
            "budget": budget.title,
            "budget_amount": budget.total,
            "title": project.title,
            "description": plain_text(project.description),
            "amount": project.amount,
            "address": project.address,
            "votes": tally.get("votes", {}).get(str(project.pk), "") if tally else "",
            "selected": ("yes" if str(project.pk) in tally.get("winners", []) else "no") if tally else "",
            "url": project.get_absolute_url(),
        }


register_dataset(
    "budget_projects",
    _("Participatory budget projects"),
    _("Projects of the participatory budgets, with votes and winners once results are published."),
    columns=(
        Column("id", _("Number of the project on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the budgets component within the space")),
        Column("budget", _("Budget the project belongs to")),
        Column("budget_amount", _("Amount of that budget, in euros")),
        Column("title", _("Title")),
        Column("description", _("Description, as plain text")),
        Column("amount", _("Cost of the project, in euros")),
        Column("address", _("Address the project is about (may be empty)")),
        Column("votes", _("Number of votes (empty until the results are published)")),
        Column("selected", _("yes if the project won, no otherwise (empty until the results are published)")),
        Column("url", _("Address of the project's page on the platform")),
    ),
    rows=budget_project_rows,
    position=50,
)
