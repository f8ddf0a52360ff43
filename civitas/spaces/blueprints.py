"""Ready-made processes offered when an admin creates one: phases, and the components they use.

Components are named by their type's name, never imported: a type removed from the
installation is skipped when a process is created (the core never depends on a component).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PlannedComponent:
    """A component a blueprint adds, unpublished, with its settings.

    ``phase_settings`` is keyed by the phase's index in the blueprint; phases not named get
    the type's defaults. Every value goes through the type's schema when the space is created.
    """

    manifest_name: str
    name: object
    settings: dict = field(default_factory=dict)
    phase_settings: dict[int, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Blueprint:
    key: str
    title: object
    phases: tuple[tuple[object, object], ...]  # (title, description)
    components: tuple[PlannedComponent, ...] = ()


PARTICIPATORY_BUDGET = Blueprint(
    "participatory_budget",
    _("Participatory budget"),
    (
        (
            _("Design"),
            _("The rules of the budget are set together: amount, themes, who may propose and vote."),
        ),
        (_("Proposals"), _("Residents submit their project ideas and support those of others.")),
        (_("Evaluation"), _("The services study each proposal and estimate its cost.")),
        (_("Feasibility"), _("Technical and legal feasibility is checked; proposals are answered publicly.")),
        (_("List and vote"), _("The feasible projects are listed and residents vote within the budget.")),
        (_("Validation"), _("The results are published and the council validates the winning projects.")),
        (_("Delivery"), _("The winning projects are carried out; follow their progress here.")),
    ),
    (
        PlannedComponent(
            "proposals",
            _("Project ideas"),
            settings={"proposal_limit": 3},
            phase_settings={
                1: {"creation_enabled": True, "supports": "enabled"},
                2: {"supports": "blocked"},
                3: {"comments_enabled": False},
            },
        ),
        PlannedComponent(
            "budgets",
            _("Vote on the projects"),
            phase_settings={
                4: {"voting_enabled": True},
                5: {"results_shown": True},
                6: {"results_shown": True},
            },
        ),
        PlannedComponent("meetings", _("Meetings")),
        PlannedComponent("accountability", _("Follow-up of the projects")),
    ),
)

CITIZEN_CONVENTION = Blueprint(
    "citizen_convention",
    _("Citizen convention"),
    (
        (
            _("Meta-deliberation"),
            _("Participants design the convention itself: questions, method, calendar."),
        ),
        (_("In-person launch"), _("The convention opens with a public meeting of all its members.")),
        (_("Deepening workshops"), _("Workshops with experts and stakeholders to deepen each theme.")),
        (_("Finalising the proposals"), _("The proposals are finalised and voted on online.")),
        (
            _("Follow-up and next edition"),
            _("What became of the proposals is followed here, and the next edition is prepared."),
        ),
    ),
    (
        PlannedComponent("meetings", _("Sessions of the convention")),
        PlannedComponent("debates", _("Debates"), phase_settings={2: {"creation_enabled": True}}),
        PlannedComponent(
            "proposals",
            _("Proposals of the convention"),
            phase_settings={3: {"creation_enabled": True, "supports": "enabled"}, 4: {"supports": "blocked"}},
        ),
        PlannedComponent("accountability", _("Follow-up of the proposals")),
    ),
)

BLUEPRINTS = {blueprint.key: blueprint for blueprint in (PARTICIPATORY_BUDGET, CITIZEN_CONVENTION)}


def planned_components(blueprint: Blueprint) -> list[tuple[PlannedComponent, object]]:
    """The blueprint's components whose type is installed, each with its manifest."""
    from civitas.components.manifest import registry

    found = []
    for plan in blueprint.components:
        manifest = registry.get(plan.manifest_name)
        if manifest is not None:
            found.append((plan, manifest))
    return found
