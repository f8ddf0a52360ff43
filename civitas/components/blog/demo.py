"""The demo's news: three posts of the participatory budget, with drawn pictures, comments, endorsements."""

from datetime import timedelta

from django.utils import timezone

from civitas.components.demo import BUDGET_SPACE

# (title, days before today, group signing it or "" for the organization, body, picture)
POSTS = [
    (
        "Le vote du budget participatif ouvre bientôt",
        1,
        "",
        "<p>Après l'étude des idées par les services, <strong>34 projets</strong> sont soumis au vote. "
        "Chaque habitant de plus de 16 ans pourra répartir son budget entre les projets de son choix.</p>"
        "<p>Rendez-vous en ligne, ou à l'accueil de la mairie pour voter sur papier.</p>",
        ("town", ((150, 190, 230), (220, 180, 120), (200, 110, 90)), "La place du Marché et ses façades."),
    ),
    (
        "Retour en images sur l'atelier du parc Pasteur",
        6,
        "Conseil de quartier des Tilleuls",
        "<p>Une quarantaine d'habitants ont arpenté le parc pour imaginer les futurs aménagements : "
        "bancs à l'ombre, fontaine, jeux pour les plus petits.</p><p>Merci à toutes et à tous !</p>",
        (
            "park",
            ((200, 230, 250), (60, 140, 80), (230, 120, 80)),
            "Des arbres et une allée du parc Pasteur.",
        ),
    ),
    (
        "Plus de 300 idées déposées",
        14,
        "",
        "<p>Le dépôt des idées est clos. Vous avez été nombreux à participer : merci ! "
        "Les services étudient maintenant la faisabilité de chaque idée.</p>",
        (
            "gathering",
            ((250, 225, 190), (40, 90, 160), (220, 90, 70), (90, 160, 110)),
            "Des habitants réunis autour d'une table.",
        ),
    ),
]
COMMENTS = [
    "<p>Bonne nouvelle ! Est-ce qu'on pourra voter pour plusieurs projets ?</p>",
    "<p>Merci pour l'atelier, c'était très réussi.</p>",
]


def seed(site) -> None:
    from civitas.comments.services import do_add_comment
    from civitas.components.blog.forms import PostForm
    from civitas.components.blog.models import Post
    from civitas.components.blog.services import do_endorse, do_save_post
    from civitas.core.illustrations import illustration

    component = site.component(
        site.spaces[BUDGET_SPACE],
        "blog",
        "Actualités",
        phase_values={"endorsements_enabled": True, "comments_enabled": True},
    )
    if component is None:
        return
    now = timezone.localtime()
    posts = []
    for index, (title, days, group, body, (scene, palette, alt)) in enumerate(POSTS):
        form = PostForm(
            data={
                "title": title,
                "body": body,
                "image_alt": alt,
                "signature": "group" if group else "organization",
                "signed_by": group,
                "published_at": f"{now - timedelta(days=days):%Y-%m-%dT%H:%M}",
            },
            files={"image": illustration(scene, palette, seed=10 + index)},
            instance=Post(component=component),
        )
        if not form.is_valid():
            raise ValueError(f"demo post {title!r}: {form.errors.as_json()}")
        posts.append(do_save_post(form=form, user=site.admin, component=component))
    for person, body in zip(site.residents, COMMENTS, strict=False):
        do_add_comment(user=person, resource=posts[0], body=body)
    for person in site.people[:5]:
        do_endorse(post=posts[0], user=person)
    for person in site.people[:2]:
        do_endorse(post=posts[1], user=person)
