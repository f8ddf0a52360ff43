"""The demo's majority-judgment vote: the convention's final proposals, graded, closed and sealed.

The ballots are cast encrypted and the vote is closed through the real closing service
(opened, shuffled, tallied, sealed), so its results page shows a sealed count.
"""

from civitas.components.demo import CONVENTION_SPACE

QUESTION = "Quelle priorité pour un campus durable ?"
CANDIDATES = [
    (
        "Des repas végétariens chaque jour au restaurant universitaire",
        "Une option végétarienne complète à chaque service.",
    ),
    ("Un atelier vélo gratuit sur le campus", "Réparations accompagnées et prêt de vélos à la semaine."),
    ("Des fontaines à eau dans chaque bâtiment", "Pour en finir avec les bouteilles en plastique."),
    (
        "Éteindre le chauffage des amphithéâtres vides",
        "Une programmation du chauffage calée sur l'emploi du temps.",
    ),
]
# Each voter's grades for the four candidates (indices into the default grade scale).
GRADES = [
    (5, 4, 3, 2),
    (4, 5, 3, 1),
    (6, 3, 4, 2),
    (3, 4, 5, 3),
    (5, 5, 2, 4),
    (4, 2, 4, 5),
    (2, 5, 3, 3),
    (5, 3, 4, 1),
    (6, 4, 2, 4),
]


def seed(site) -> None:
    from civitas.components.majority_judgment.services import do_add_candidate, do_close, do_vote, election_of
    from civitas.components.services import do_configure_component

    space = site.spaces[CONVENTION_SPACE]
    component = site.component(space, "majority_judgment", "Vote final de la convention")
    if component is None:
        return
    election = election_of(component)
    election.question = QUESTION
    election.description = "<p>Chaque votant attribue une mention à chacune des propositions finales.</p>"
    election.save(update_fields=["question", "description"])
    for title, description in CANDIDATES:
        do_add_candidate(election=election, user=site.admin, title=title, description=f"<p>{description}</p>")
    manifest = component.manifest
    do_configure_component(
        component=component,
        user=site.admin,
        name=component.name,
        settings=component.current_settings(),
        phase_settings={
            key: manifest.phase_settings.clean({**values, "voting_enabled": True})
            for key, values in component.phase_settings.items()
        },
    )
    component.refresh_from_db()
    election = election_of(component)
    candidates = list(election.candidates.order_by("position").values_list("pk", flat=True))
    top = len(election.grades) - 1
    for voter, grades in zip(site.people, GRADES, strict=False):
        ballot = {
            f"candidate-{pk}": str(min(grade, top)) for pk, grade in zip(candidates, grades, strict=True)
        }
        do_vote(election=election, user=voter, data=ballot)
    do_close(election=election, user=site.admin)
