"""Flat illustrations drawn with Pillow, for the demo: the town, its parks, its gatherings.

The demo shows what a town's site looks like with pictures, without fetching any: each
scene is drawn here from a palette, at the size of a photograph, and uploaded through
the same forms and fields as a real image (re-encoded, cut into thumbnails).
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
GROUND = (96, 142, 72)


def _sky(draw, top, bottom, height):
    for row in range(height):
        mix = row / max(1, height - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, row), (WIDTH, row)], fill=colour)


def _tree(draw, x, base, size, leaves):
    draw.rectangle([(x - size // 10, base - size), (x + size // 10, base)], fill=(104, 72, 44))
    draw.ellipse([(x - size // 2, base - size * 2), (x + size // 2, base - size * 3 // 4)], fill=leaves)


def _park(draw, rng, palette):
    _sky(draw, palette[0], (236, 244, 250), HEIGHT * 2 // 3)
    draw.ellipse([(1250, 90), (1400, 240)], fill=(250, 214, 92))
    draw.rectangle([(0, HEIGHT * 2 // 3), (WIDTH, HEIGHT)], fill=GROUND)
    draw.polygon(
        [(620, HEIGHT), (980, HEIGHT), (860, HEIGHT * 2 // 3), (760, HEIGHT * 2 // 3)], fill=(222, 204, 160)
    )
    for index in range(9):
        x = 90 + index * 180 + rng.randint(-30, 30)
        _tree(draw, x, HEIGHT * 2 // 3 + rng.randint(10, 60), rng.randint(110, 170), palette[1])


def _town(draw, rng, palette):
    _sky(draw, palette[0], (250, 236, 214), HEIGHT)
    x = 0
    while x < WIDTH:
        width, height = rng.randint(140, 230), rng.randint(260, 560)
        colour = rng.choice(palette[1:])
        draw.rectangle([(x, HEIGHT - 120 - height), (x + width, HEIGHT - 120)], fill=colour)
        draw.polygon(
            [
                (x - 10, HEIGHT - 120 - height),
                (x + width // 2, HEIGHT - 190 - height),
                (x + width + 10, HEIGHT - 120 - height),
            ],
            fill=(150, 70, 60),
        )
        for wx in range(x + 22, x + width - 30, 46):
            for wy in range(HEIGHT - 90 - height, HEIGHT - 170, 70):
                draw.rectangle([(wx, wy), (wx + 24, wy + 36)], fill=(255, 244, 200))
        x += width + rng.randint(12, 40)
    draw.rectangle([(0, HEIGHT - 120), (WIDTH, HEIGHT)], fill=(120, 120, 128))
    for x in range(40, WIDTH, 160):
        draw.rectangle([(x, HEIGHT - 64), (x + 80, HEIGHT - 56)], fill=(240, 240, 240))


def _person(draw, rng, x, y, colour):
    skin = rng.choice([(241, 194, 150), (198, 134, 92), (141, 85, 54)])
    draw.ellipse([(x - 48, y - 40), (x + 48, y + 120)], fill=colour)
    draw.ellipse([(x - 30, y - 110), (x + 30, y - 50)], fill=skin)


def _gathering(draw, rng, palette):
    _sky(draw, palette[0], (255, 250, 240), HEIGHT)
    # Bunting across the hall.
    draw.line([(0, 120), (WIDTH, 170)], fill=(120, 90, 60), width=4)
    for index, x in enumerate(range(20, WIDTH, 90)):
        top = 120 + 50 * x // WIDTH
        draw.polygon(
            [(x, top), (x + 70, top + 3), (x + 35, top + 80)], fill=palette[1 + index % (len(palette) - 1)]
        )
    for index in range(5):  # the far side of the table
        _person(draw, rng, 430 + index * 180, 420, palette[1 + index % (len(palette) - 1)])
    draw.ellipse([(300, 470), (1300, 760)], fill=(164, 112, 70))
    for index in range(4):
        x = 500 + index * 170
        draw.rectangle([(x, 520), (x + 90, 570)], fill=(250, 250, 250))
    for index in range(5):  # the near side
        _person(draw, rng, 340 + index * 230, 760, palette[1 + (index + 2) % (len(palette) - 1)])


SCENES = {"park": _park, "town": _town, "gathering": _gathering}


def illustration(
    scene: str, palette: tuple, *, seed: int = 0, name: str = "illustration.png"
) -> SimpleUploadedFile:
    """A scene ("park", "town", "gathering") in a palette: (sky colour, colours of things…)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), palette[0])
    SCENES[scene](ImageDraw.Draw(image), random.Random(seed), palette)  # noqa: S311 - a drawing
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def portrait(background: tuple, *, name: str = "avatar.png") -> SimpleUploadedFile:
    """A head-and-shoulders silhouette on a colour, for a demo avatar."""
    image = Image.new("RGB", (400, 400), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse([(70, 250), (330, 520)], fill=(250, 250, 250))
    draw.ellipse([(130, 70), (270, 230)], fill=(250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
