"""The demo's citizen panel: a pool of student volunteers, a LEXIMIN lottery, published with a
commit–reveal seed, and drawn.

The platform refuses a seed before the time announced at publication, at least an hour
later (``services.MINIMUM_NOTICE``): the seed must not exist while the lottery can still be
changed. So the first run publishes the lottery with two contributors' commitments (their
secrets kept in var/, as contributors would keep theirs), and the first run from the
announced time on (``make run`` again) reveals the secrets and draws, through the same
services as the admin pages. Nothing is back-dated.
"""

import io
import random
from datetime import timedelta

from django.utils import timezone

from civitas.components.demo import CONVENTION_SPACE

CONTRIBUTORS = ["Bureau des élections étudiantes", "Service de la vie de campus"]
FEATURES = [
    ("Genre", "Femme: 55\nHomme: 45", 10),
    ("Filière", "Sciences: 40\nLettres et sciences humaines: 35\nDroit et économie: 25", 10),
    ("Année", "Licence: 60\nMaster et doctorat: 40", 10),
]
FIRST_NAMES = [
    "Emma", "Lucas", "Jade", "Nathan", "Louise", "Rayan", "Alice", "Mohamed", "Lina", "Gabriel",
    "Rose", "Adam", "Anna", "Yanis", "Zoé", "Noah", "Mila", "Sacha", "Léna", "Ethan",
    "Camille", "Hugo", "Sarah", "Paul", "Inès", "Jules", "Manon", "Amine", "Clara", "Arthur",
]  # fmt: skip
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Nguyen",
    "Moreau",
    "Diallo",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
]


def _pool_csv(count: int) -> io.BytesIO:
    """Paper registrations typed into a spreadsheet by the campus services."""
    rng = random.Random(2027)
    lines = ["name,email,phone,consent,Genre,Filière,Année"]
    for index in range(count):
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[(index * 7) % len(LAST_NAMES)]}"
        genre = rng.choices(["Femme", "Homme"], weights=[55, 45])[0]
        field = rng.choices(["Sciences", "Lettres et sciences humaines", "Droit et économie"], [40, 35, 25])[
            0
        ]
        year = rng.choices(["Licence", "Master et doctorat"], weights=[60, 40])[0]
        lines.append(f"{name},,,oui,{genre},{field},{year}")
    return io.BytesIO("\n".join(lines).encode("utf-8"))


def _secrets(site) -> list[str]:
    return [site.secret(f"sortition_contributor_{index}") for index in range(len(CONTRIBUTORS))]


def seed(site) -> None:
    from civitas.components.models import Component
    from civitas.components.sortition.lottery import compute
    from civitas.components.sortition.services import (
        build_seed_rule,
        do_add_feature,
        do_configure,
        do_import_csv,
        do_publish,
        do_register,
        do_start_computation,
        panel_of,
    )
    from civitas.sortition.draw import COMMIT_REVEAL, commitment

    space = site.spaces[CONVENTION_SPACE]
    component = site.component(
        space, "sortition", "Tirage au sort de la convention", phase_values={"registration_enabled": True}
    )
    if component is None:
        existing = Component.objects.filter(space=space, manifest_name="sortition").order_by("pk").first()
        if existing is not None:
            _draw_when_due(site, panel_of(existing))
        return
    panel = panel_of(component)
    do_configure(panel=panel, user=site.admin, panel_size=12, alternates=4, method="leximin")
    for name, values, tolerance in FEATURES:
        do_add_feature(panel=panel, user=site.admin, name=name, values_text=values, tolerance=tolerance)
    features = {feature.name: feature for feature in panel.features.all()}
    online = [("Femme", "Sciences", "Master et doctorat"), ("Homme", "Droit et économie", "Licence")]
    for person, (genre, field, year) in zip(site.people, online, strict=False):
        data = {"name": person.name, "email": person.email, "consent": "on"}
        for feature_name, label in (("Genre", genre), ("Filière", field), ("Année", year)):
            data[f"feature_{features[feature_name].pk}"] = label
        do_register(panel=panel, user=person, data=data)
    do_import_csv(panel=panel, user=site.admin, file=_pool_csv(58))
    panel.refresh_from_db()
    do_start_computation(panel=panel, user=site.admin)
    # Computed here rather than left to the task queue, so that the lottery can be published
    # now; the queued task then finds it computed and does nothing.
    panel.refresh_from_db()
    compute(panel.pk, panel.computation_token)
    panel.refresh_from_db()
    rule = build_seed_rule(
        kind=COMMIT_REVEAL,
        description="Secrets révélés en séance d'ouverture de la convention",
        draw_at=timezone.now() + timedelta(hours=1, minutes=5),
        contributors=[
            (name, commitment(secret)) for name, secret in zip(CONTRIBUTORS, _secrets(site), strict=True)
        ],
    )
    do_publish(panel=panel, user=site.admin, rule=rule)


def _draw_when_due(site, panel) -> None:
    """Draw a lottery the demo published, once its announced time has come."""
    from civitas.components.sortition.models import Panel
    from civitas.components.sortition.services import check_can_draw, do_draw
    from civitas.sortition.draw import commitment

    if panel.state != Panel.State.PUBLISHED or check_can_draw(panel) is not None:
        return
    reveals = _secrets(site)
    published = [contributor["commitment"] for contributor in (panel.seed_rule or {}).get("contributors", [])]
    if published != [commitment(secret) for secret in reveals]:
        return  # published by someone else than the demo: theirs to draw
    do_draw(panel=panel, user=site.admin, reveals=reveals)
