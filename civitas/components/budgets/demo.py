"""The demo's participatory budget: costed projects with pictures, open to the vote.

The pictures are drawn here (Pillow) and go through the admin's project form, so they are
validated and re-encoded like any upload. The vote stays open so that a visitor can try it;
a few residents have already voted (their ballots are encrypted until an admin closes it).
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.components.demo import BUDGET_SPACE, demo_place_data

PROJECTS = [
    (
        "Un jardin partagé rue des Tilleuls",
        "<p>Vingt parcelles cultivées par les habitants, un composteur collectif et un récupérateur "
        "d'eau de pluie, sur la friche au bout de la rue.</p>",
        45_000,
        "Rue des Tilleuls",
        ((120, 170, 90), (70, 130, 60)),
    ),
    (
        "Piste cyclable avenue Jean-Jaurès",
        "<p>1,2 km de piste séparée de la circulation entre la gare et le lycée, avec des arceaux "
        "aux deux bouts.</p>",
        140_000,
        "Avenue Jean-Jaurès",
        ((150, 160, 175), (60, 120, 200)),
    ),
    (
        "Ombre et bancs place du Marché",
        "<p>Douze arbres, huit bancs et une fontaine à boire, pour que la place reste vivable l'été.</p>",
        85_000,
        "Place du Marché",
        ((230, 200, 140), (90, 150, 80)),
    ),
    (
        "Une boîte à livres et un kiosque de lecture",
        "<p>Devant la médiathèque : une armoire à livres et un kiosque couvert pour lire dehors.</p>",
        18_000,
        "Parvis de la médiathèque",
        ((200, 120, 90), (240, 220, 180)),
    ),
    (
        "Éclairage du chemin du Stade",
        "<p>Vingt lampadaires à détection de présence le long du chemin piéton du collège au stade.</p>",
        60_000,
        "Chemin du Stade",
        ((40, 50, 90), (250, 220, 120)),
    ),
    (
        "Aire de jeux inclusive au parc Pasteur",
        "<p>Des jeux accessibles aux enfants en fauteuil, un sol souple et des bancs pour les parents.</p>",
        120_000,
        "Parc Pasteur",
        ((140, 200, 230), (230, 90, 80)),
    ),
]


def _picture(sky, accent) -> SimpleUploadedFile:
    """A simple landscape: sky, ground, a sun and a row of trees, in the project's colours."""
    from PIL import Image, ImageDraw

    width, height = 960, 540
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    for row in range(height // 2):  # the sky lightens towards the horizon
        shade = tuple(min(255, channel + row // 3) for channel in sky)
        draw.line([(0, row), (width, row)], fill=shade)
    draw.rectangle([(0, height * 2 // 3), (width, height)], fill=(95, 140, 70))
    draw.ellipse([(760, 60), (860, 160)], fill=(250, 215, 90))
    for index in range(6):
        left = 60 + index * 150
        draw.rectangle(
            [(left + 30, height * 2 // 3 - 60), (left + 45, height * 2 // 3 + 10)], fill=(100, 70, 40)
        )
        draw.ellipse([(left, height * 2 // 3 - 150), (left + 75, height * 2 // 3 - 45)], fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("projet.png", buffer.getvalue(), content_type="image/png")


def seed(site) -> None:
    from civitas.components.budgets.admin_forms import BudgetForm, ProjectForm
    from civitas.components.budgets.models import Budget, Project
    from civitas.components.budgets.services import do_choose_projects, do_save_budget, do_save_project
    from civitas.components.services import do_configure_component

    space = site.spaces[BUDGET_SPACE]
    component = site.component(space, "budgets", "Vote du budget participatif")
    if component is None:
        return
    form = BudgetForm(
        data={
            "title": "Toute la ville",
            "description": "<p>500 000 € pour des projets proposés par les habitantes et habitants.</p>",
            "total": 500_000,
            "position": 0,
            "receipt_mode": Budget._meta.get_field("receipt_mode").default,
        },
        instance=Budget(component=component),
    )
    if not form.is_valid():
        raise ValueError(f"demo budget: {form.errors.as_json()}")
    budget = do_save_budget(form=form, user=site.admin, component=component)
    for position, (title, description, amount, address, colours) in enumerate(PROJECTS):
        form = ProjectForm(
            data={
                "title": title,
                "description": description,
                "amount": amount,
                **demo_place_data(site.organization, address),
                "position": position,
                "image_alt": "Un paysage dessiné : le ciel, le soleil et une rangée d'arbres.",
            },
            files={"image": _picture(*colours)},
            instance=Project(budget=budget),
            budget=budget,
        )
        if not form.is_valid():
            raise ValueError(f"demo project {title!r}: {form.errors.as_json()}")
        do_save_project(form=form, user=site.admin, budget=budget)
    # Votes open once the projects are set (the amounts lock while voting is open).
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
    budget.component = component
    projects = list(budget.projects.order_by("position").values_list("pk", flat=True))
    for index, voter in enumerate(site.residents[:7]):
        chosen = [projects[index % len(projects)], projects[(index + 2) % len(projects)], projects[3]]
        do_choose_projects(budget=budget, user=voter, project_ids=chosen, confirm=True)
