"""Ready-made phase lists offered when an admin creates a process."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Blueprint:
    key: str
    title: object
    phases: tuple[tuple[object, object], ...]  # (title, description)


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
)

BLUEPRINTS = {blueprint.key: blueprint for blueprint in (PARTICIPATORY_BUDGET, CITIZEN_CONVENTION)}
