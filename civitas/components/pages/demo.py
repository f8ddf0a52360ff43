"""The demo's pages: the rules of the budget, the convention's charter, the council's minutes."""

from civitas.components.demo import ASSEMBLY_SPACE, BUDGET_SPACE, CONVENTION_SPACE

PAGES = {
    BUDGET_SPACE: (
        "Règlement du budget participatif",
        "<h2>Qui peut proposer ?</h2><p>Toute personne habitant, étudiant ou travaillant à "
        "Démoville.</p><h2>Quels projets ?</h2><ul><li>d'intérêt général ;</li><li>relevant des "
        "compétences de la ville ;</li><li>coûtant au plus 150 000 €.</li></ul>",
    ),
    CONVENTION_SPACE: (
        "Charte de la convention",
        "<p>Les membres s'engagent à écouter, à respecter la parole de chacun et à "
        "rechercher l'intérêt général.</p>",
    ),
    ASSEMBLY_SPACE: ("Comptes rendus", "<p>Le compte rendu de chaque séance est publié ici.</p>"),
}


def seed(site) -> None:
    for role, (title, body) in PAGES.items():
        component = site.component(site.spaces[role], "pages", title)
        if component is None:
            continue
        component.page.body = body
        component.page.save()
