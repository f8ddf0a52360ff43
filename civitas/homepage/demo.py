"""The demo organization's home page (``manage.py seed_demo``), arranged once through the
admin's services: a welcome banner with a picture, the vote under way, the spaces, the next
meetings, the latest news and proposals, how to take part and the figures. Only registered kinds of
block are used, so a demo without a component simply lacks its block."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.homepage import services
from civitas.homepage.models import HomeBlock, HomeLayout
from civitas.homepage.registry import get_block_type

ORDER = [
    "hero",
    "highlight",
    "open_spaces",
    "upcoming_meetings",
    "latest_news",
    "recent_proposals",
    "map",
    "free_text",
    "key_figures",
]
# The participation put forward, first found among these kinds (names only: no import).
HIGHLIGHTED_KINDS = ("budgets", "majority_judgment", "surveys", "petitions")

HOW_TO = (
    "<ol><li><strong>Créez votre compte</strong> en une minute, avec votre adresse électronique.</li>"
    "<li><strong>Choisissez un espace</strong> : budget participatif, convention citoyenne, "
    "conseil de quartier.</li>"
    "<li><strong>Proposez, commentez, votez</strong> : chaque contribution reçoit une réponse "
    "de la mairie.</li></ol>"
    "<p>Une question ? L’accueil de la mairie vous aide aussi à participer, "
    "du lundi au vendredi de 9 h à 17 h.</p>"
)


def _picture() -> SimpleUploadedFile:
    """Roofs of a small town under a summer sky, drawn for the demo."""
    from PIL import Image, ImageDraw

    width, height = 1200, 900
    image = Image.new("RGB", (width, height), (70, 130, 190))
    draw = ImageDraw.Draw(image)
    for row in range(height):  # the sky lightens towards the horizon
        shade = (min(255, 70 + row // 4), min(255, 130 + row // 5), min(255, 190 + row // 8))
        draw.line([(0, row), (width, row)], fill=shade)
    draw.ellipse([(880, 110), (1030, 260)], fill=(252, 214, 98))
    draw.rectangle([(0, 700), (width, height)], fill=(92, 140, 74))
    houses = [(40, 520, (222, 196, 160)), (250, 470, (236, 220, 190)), (520, 390, (210, 180, 150))]
    houses += [(780, 500, (230, 205, 170)), (990, 450, (215, 190, 155))]
    for left, top, wall in houses:
        draw.rectangle([(left, top), (left + 190, 720)], fill=wall)
        draw.polygon([(left - 15, top), (left + 95, top - 90), (left + 205, top)], fill=(176, 76, 52))
        for column in (left + 30, left + 115):
            draw.rectangle([(column, top + 50), (column + 45, top + 110)], fill=(70, 95, 130))
    draw.rectangle([(600, 250), (650, 390)], fill=(210, 180, 150))  # the town hall's bell tower
    draw.polygon([(590, 250), (625, 190), (660, 250)], fill=(90, 90, 100))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return SimpleUploadedFile("accueil.jpg", buffer.getvalue(), content_type="image/jpeg")


def _form(block, data, files=None):
    form = block.block_type.form_class()(data, files, block=block, organization=block.organization)
    if not form.is_valid():
        raise ValueError(f"demo home block {block.kind}: {form.errors.as_json()}")
    return form


def _highlighted(organization):
    from civitas.components.models import Component

    for kind in HIGHLIGHTED_KINDS:
        component = (
            Component.objects.published()
            .filter(space__organization=organization, space__published_at__isnull=False, manifest_name=kind)
            .first()
        )
        if component is not None:
            return component
    return None


def seed_home(organization, admin) -> None:
    """Arrange the demo's home page, once: a page an admin has arranged is left alone."""
    if HomeLayout.objects.filter(organization=organization).exists():
        return
    services.ensure_arranged(organization)
    hero = HomeBlock.objects.get(organization=organization, kind="hero")
    services.do_save_block(
        block=hero,
        user=admin,
        form=_form(
            hero,
            {
                "title": "Ensemble, faisons vivre notre ville",
                "text": "Budget participatif, convention citoyenne, conseils de quartier : "
                "proposez vos idées, débattez et votez pour la ville de demain.",
                "button_label": "Je participe",
                "button_link": "/spaces/",
                "image_alt": "Les toits de la ville et le clocher de la mairie sous un ciel d’été",
            },
            {"image": _picture()},
        ),
    )
    additions = [("recent_proposals", {"title": "", "count": 3}), ("map", {"title": "", "listed": 6})]
    additions.append(("latest_news", {"title": "", "count": 3}))
    additions.append(("free_text", {"title": "Comment participer ?", "body": HOW_TO}))
    component = _highlighted(organization)
    if component is not None:
        text = "Le vote est ouvert : quelques minutes suffisent pour choisir les projets de votre quartier."
        additions.append(
            ("highlight", {"title": "", "component": component.pk, "text": text, "button_label": "Je vote"})
        )
    for kind, data in additions:
        if get_block_type(kind) is None:
            continue
        block = HomeBlock(organization=organization, kind=kind)
        services.do_add_block(organization=organization, user=admin, form=_form(block, data))
    # Into the demo's order, as an admin would with the arrows.
    stored = set(HomeBlock.objects.filter(organization=organization).values_list("kind", flat=True))
    for index, kind in enumerate(kind for kind in ORDER if kind in stored):
        block = HomeBlock.objects.get(organization=organization, kind=kind)
        kinds = list(HomeBlock.objects.filter(organization=organization).values_list("kind", flat=True))
        for _step in range(kinds.index(kind) - index):
            services.do_move_block(block=block, user=admin, direction=-1)
