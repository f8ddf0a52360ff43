"""The demo's proposals: residents' ideas for the participatory budget, supported and answered."""

from civitas.components.demo import BUDGET_SPACE, DEMO_PLACES

IDEAS = [
    (
        "Des jardins partagés dans chaque quartier",
        "<p>Transformer les délaissés urbains en jardins partagés, gérés par les habitants avec l'appui "
        "d'une association.</p>",
        "Rue des Tilleuls",
    ),
    (
        "Une piste cyclable sécurisée avenue Jean-Jaurès",
        "<p>Séparer physiquement les vélos de la circulation entre la gare et le lycée.</p>",
        "Avenue Jean-Jaurès",
    ),
    (
        "Des bancs et de l'ombre place du Marché",
        "<p>Installer des bancs et planter des arbres pour que les personnes âgées puissent s'y reposer.</p>",
        "Place du Marché",
    ),
    (
        "Une boîte à livres devant la médiathèque",
        "<p>Une armoire en bois où chacun dépose et emprunte des livres, à toute heure.</p>",
        "Parvis de la médiathèque",
    ),
    (
        "Éclairer le chemin du stade",
        "<p>Le chemin piéton entre le collège et le stade n'est pas éclairé : les jeunes y passent "
        "à la nuit tombée en hiver.</p>",
        "Chemin du Stade",
    ),
]
# Pictures drawn for the first ideas (scene, palette, text alternative); the others have none.
PICTURES = [
    ("park", ((170, 210, 235), (90, 150, 70)), "Des arbres et une allée dans un jardin ensoleillé."),
    ("town", ((140, 185, 225), (90, 140, 190), (230, 200, 140)), "Une rue bordée d'immeubles colorés."),
    ("park", ((245, 215, 170), (200, 120, 60)), "Une place plantée d'arbres en automne."),
]
ACCEPTED_ANSWER = (
    "<p>Merci pour cette proposition. Les services l'ont étudiée : elle est réalisable et sera "
    "soumise au vote du budget participatif.</p>"
)


def seed(site) -> None:
    from civitas.comments.services import do_add_comment
    from civitas.components.proposals.answers import do_save_answer
    from civitas.components.proposals.services import do_create_draft, do_publish, do_support
    from civitas.core.illustrations import illustration

    space = site.spaces[BUDGET_SPACE]
    component = site.component(
        space,
        "proposals",
        "Propositions",
        settings_values={"support_limit": 5},
        phase_values=lambda phase: {"creation_enabled": site.is_active(phase), "supports": "enabled"},
    )
    if component is None:
        return
    people = site.people
    for index, (title, body, address) in enumerate(IDEAS):
        author = people[index % len(people)]
        picture = {}
        if index < len(PICTURES):
            scene, palette, alt = PICTURES[index]
            picture = {"image": illustration(scene, palette, seed=index), "image_alt": alt}
        proposal = do_create_draft(
            user=author,
            component=component,
            title=title,
            body=body,
            address=address,
            coordinates=DEMO_PLACES.get(address, (None, None)),
            **picture,
        )
        do_publish(proposal=proposal, user=author)
        for supporter in people[index + 1 : index + 1 + (len(IDEAS) - index) * 2]:
            do_support(proposal=proposal, user=supporter)
        if index < 2:
            do_save_answer(
                proposal=proposal,
                user=site.admin,
                data={
                    "answer_state": "accepted",
                    "answer": ACCEPTED_ANSWER,
                    "estimated_cost": 40_000 * (index + 1),
                },
                publish=True,
            )
    first = component.proposals.order_by("pk").first()
    do_add_comment(
        user=people[3],
        resource=first,
        body="<p>Excellente idée : l'association du quartier peut prêter des outils.</p>",
    )
