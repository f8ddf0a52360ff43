"""The demo's participatory text: the neighbourhood council's draft tree charter, article by
article, published twice (the second version after the residents' comments)."""

from civitas.components.demo import ASSEMBLY_SPACE

CHARTER = """# Titre I — Principes

## Article 1 — Objet

La présente charte fixe la manière dont la ville plante, entretient et protège les arbres
de l'espace public, avec les habitantes et les habitants du quartier.

## Article 2 — Le patrimoine arboré

Les arbres des rues, des parcs et des cours d'école forment un patrimoine commun. Chaque
arbre abattu est remplacé dans le quartier, dans l'année.

# Titre II — Planter et entretenir

## Article 3 — Choix des essences

Les essences sont choisies pour leur résistance à la chaleur et à la sécheresse, et pour
leur intérêt pour la faune locale.

## Article 4 — Participation des habitants

Les habitants peuvent proposer des lieux de plantation et parrainer un arbre :

- arrosage pendant les deux premiers étés ;
- signalement des arbres malades ou abîmés.

## Article 5 — Travaux à proximité

Tout chantier à moins de cinq mètres d'un arbre protège son tronc et ses racines.
"""
COMMENTS = [
    (
        0,
        "<p>Remplacer dans l'année, c'est bien ; pourquoi pas « par un arbre de même taille » ?</p>",
    ),
    (3, "<p>Je suis prête à parrainer l'érable devant l'école Jules-Ferry.</p>"),
    (3, "<p>Il faudrait un point d'eau accessible pour arroser sans porter de seaux.</p>"),
]


def seed(site) -> None:
    from civitas.comments.services import do_add_comment
    from civitas.components.participatory_texts import services
    from civitas.components.participatory_texts.models import Article
    from civitas.components.participatory_texts.splitting import split

    component = site.component(
        site.spaces[ASSEMBLY_SPACE],
        "participatory_texts",
        "Charte de l'arbre",
        phase_values={"comments_enabled": True},
    )
    if component is None:
        return
    items = [item.as_dict() for item in split(CHARTER.encode(), "charte-arbre.md")]
    services.do_import(component=component, user=site.admin, items=items, file_name="charte-arbre.md")
    services.do_publish_version(component=component, user=site.admin, note="Projet soumis à la concertation")
    articles = list(Article.objects.current().filter(component=component).in_reading_order())
    for person, (index, body) in zip(site.people, COMMENTS, strict=False):
        do_add_comment(user=person, resource=articles[index], body=body)
    second = articles[1]
    services.do_save_article(
        component=component,
        user=site.admin,
        article=second,
        title=second.title,
        body=second.body.replace("dans le quartier", "dans le quartier par un arbre de taille comparable"),
        section=second.section,
    )
    services.do_publish_version(component=component, user=site.admin, note="après la concertation")
