"""The demo's debate: a question the convention put to discussion, with arguments on each side."""

from civitas.components.demo import CONVENTION_SPACE

TITLE = "Faut-il fermer le parking central du campus aux voitures ?"
DESCRIPTION = (
    "<p>La convention propose de transformer le parking central en place piétonne plantée. "
    "Qu'en pensez-vous ? Chaque commentaire dit s'il est pour, contre ou neutre.</p>"
)
# (body, alignment)
ARGUMENTS = [
    ("<p>Pour : le campus est bien desservi par le tram, et la place serait enfin agréable.</p>", "for"),
    (
        "<p>Contre : les personnes qui viennent de loin, tôt le matin, n'ont pas d'autre solution "
        "que la voiture.</p>",
        "against",
    ),
    ("<p>Pour, à condition de garder des places pour les personnes handicapées.</p>", "for"),
    ("<p>Il faudrait d'abord un parking relais à l'entrée de la ville.</p>", "neutral"),
]


def seed(site) -> None:
    from civitas.comments.services import do_add_comment
    from civitas.components.debates.services import do_open_debate

    component = site.component(
        site.spaces[CONVENTION_SPACE],
        "debates",
        "Débats",
        phase_values={"creation_enabled": True, "comments_enabled": True},
    )
    if component is None:
        return
    debate = do_open_debate(user=site.participant, component=component, title=TITLE, description=DESCRIPTION)
    for person, (body, alignment) in zip(site.residents, ARGUMENTS, strict=False):
        do_add_comment(user=person, resource=debate, body=body, alignment=alignment)
