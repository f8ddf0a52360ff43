"""The participatory budget component: costed projects, a checkout within the budget, results."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema
from civitas.core.richtext import plain_text

VOTE_SCOPES = (
    ("all", _("Participants may vote in every budget")),
    ("one", _("Participants vote in one budget only")),
)
VOTE_RULES = (
    ("within_budget", _("Any total up to the budget")),
    ("minimum_percent", _("At least a percentage of the budget")),
    ("project_count", _("Between a minimum and a maximum number of projects")),
)
WINNER_RULES = (
    ("greedy", _("Most votes first, skipping what no longer fits")),
    ("equal_shares", _("Method of Equal Shares (proportional)")),
)


def _settings_lock(component):
    from civitas.components.budgets.locks import settings_lock

    return settings_lock(component)


def _statistics(component) -> dict[str, int]:
    from civitas.components.budgets.models import BudgetParticipation, Project

    return {
        "budget_projects": Project.objects.filter(budget__component=component).count(),
        "budget_votes": BudgetParticipation.objects.filter(budget__component=component).count(),
    }


def _open_data(component):
    from civitas.components.budgets.results import published_results

    rows = []
    for budget, results in published_results(component):
        for line in results.lines:
            rows.append(
                {
                    "id": line.project.pk,
                    "space": component.space.slug,
                    "component_id": component.pk,
                    "budget": budget.title,
                    "title": line.project.title,
                    "description": plain_text(line.project.description),
                    "amount": line.project.amount,
                    "address": line.project.address,
                    "votes": line.votes if line.votes is not None else "",
                    "selected": line.selected if line.votes is not None else "",
                }
            )
    yield "budget_projects", rows


def _demo(site) -> None:
    from civitas.components.budgets.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="budgets",
    verbose_name=_("Participatory budget"),
    description=_("Participants choose costed projects within a budget; the winners are funded."),
    icon="budgets",
    settings=SettingsSchema(
        (
            Setting(
                "vote_scope", "choice", label=_("Budgets to vote in"), choices=VOTE_SCOPES, default="all"
            ),
            Setting("vote_rule", "choice", label=_("Vote rule"), choices=VOTE_RULES, default="within_budget"),
            Setting(
                "minimum_percent",
                "integer",
                label=_("Minimum share of the budget to spend, in % (rule “at least a percentage”)"),
                default=0,
                minimum=0,
                maximum=100,
            ),
            Setting(
                "minimum_projects",
                "integer",
                label=_("Minimum number of projects (rule “number of projects”)"),
                default=0,
                minimum=0,
                maximum=1000,
            ),
            Setting(
                "maximum_projects",
                "integer",
                label=_("Maximum number of projects, 0 = no maximum (rule “number of projects”)"),
                default=0,
                minimum=0,
                maximum=1000,
            ),
            Setting(
                "winner_rule",
                "choice",
                label=_("How winners are chosen"),
                choices=WINNER_RULES,
                default="greedy",
            ),
        )
    ),
    phase_settings=SettingsSchema(
        (
            Setting("voting_enabled", "boolean", label=_("Voting is open"), default=False),
            Setting(
                "results_shown",
                "boolean",
                label=_("Results are shown (once the vote is closed)"),
                default=False,
            ),
            Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),
        )
    ),
    actions=(Action("vote", _("Vote in a participatory budget"), phase_setting="voting_enabled"),),
    resources=("budgets.Budget", "budgets.Project", "budgets.Order", "budgets.BudgetParticipation"),
    public_urls="civitas.components.budgets.urls",
    admin_urls="civitas.components.budgets.admin_urls",
    admin_url_name="budgets_admin:index",
    statistics=_statistics,
    open_data=_open_data,
    settings_lock=_settings_lock,
    demo=_demo,
)
