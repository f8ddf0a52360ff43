from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civitas.components.manifest import registry
from civitas.components.services import do_add_component, do_set_component_published
from civitas.components.sortition import services
from civitas.components.sortition.models import Volunteer
from civitas.components.sortition.pool import features_with_values
from civitas.sortition.draw import COMMIT_REVEAL, PUBLIC_DRAW, commitment
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

EUROMILLIONS = "les numéros du tirage EuroMillions du vendredi 11 décembre 2026"
SECRETS = {
    "Maître Dupont, commissaire de justice": "sel-de-guérande-7731",
    "Groupe d’opposition": "la-minorité-veille-2026",
    "Une habitante": "dés-de-la-salle-des-fêtes",
}


def public_draw_rule(in_hours=2):
    return services.build_seed_rule(
        kind=PUBLIC_DRAW,
        description=EUROMILLIONS,
        draw_at=timezone.now() + timedelta(hours=in_hours),
        contributors=[],
    )


def commit_reveal_rule(in_hours=2):
    return services.build_seed_rule(
        kind=COMMIT_REVEAL,
        description="Secrets révélés en séance publique du conseil",
        draw_at=timezone.now() + timedelta(hours=in_hours),
        contributors=[(name, commitment(secret)) for name, secret in SECRETS.items()],
    )


def in_the_past(hours=3):
    """Publish as it was done earlier, so that the announced time has come now."""
    return time_machine.travel(timezone.now() - timedelta(hours=hours), tick=False)


def publish_earlier(panel, admin, make_rule=public_draw_rule):
    """Publish three hours ago with a seed known two hours later: the draw can take place now."""
    with in_the_past():
        rule = make_rule()
        services.do_publish(panel=panel, user=admin, rule=rule)
    panel.refresh_from_db()
    return rule


def make_panel_component(organization, admin, *, title="Convention citoyenne"):
    space = do_create_space(organization=organization, user=admin, kind="process", title=title)
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Inscriptions", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    component = do_add_component(space=space, user=admin, manifest=registry.get("sortition"), name="Panel")
    configure_component(component, admin, registration_enabled=True)
    do_set_component_published(component=component, user=admin, published=True)
    component.refresh_from_db()
    return component


def setup_panel(component, admin, *, size=4, alternates=2):
    panel = services.panel_of(component)
    services.do_configure(panel=panel, user=admin, panel_size=size, alternates=alternates, method="leximin")
    services.do_add_feature(
        panel=panel, user=admin, name="Genre", values_text="Femme: 50\nHomme: 50", tolerance=0
    )
    services.do_add_feature(panel=panel, user=admin, name="Âge", values_text="Jeune\nÂgé", tolerance=0)
    age = panel.features.get(name="Âge")
    services.do_set_quotas(panel=panel, user=admin, quotas={v.pk: (1, size - 1) for v in age.values.all()})
    panel.refresh_from_db()
    return panel


def answers_for(panel, **labels):
    """answers_for(panel, Genre="Femme", Âge="Jeune") → form data with value ids."""
    data = {}
    for feature in features_with_values(panel):
        value = next(v for v in feature.values.all() if v.label == labels[feature.name])
        data[f"feature_{feature.pk}"] = str(value.pk)
    return data


def add_volunteers(panel, profiles):
    """profiles: [(genre, âge, count)] → volunteers registered directly (as an import would)."""
    created = []
    features = {f.name: f for f in features_with_values(panel)}
    for genre, age, count in profiles:
        for _ in range(count):
            answers = {}
            for name, label in (("Genre", genre), ("Âge", age)):
                value = features[name].values.get(label=label)
                answers[str(features[name].pk)] = str(value.pk)
            created.append(
                Volunteer.objects.create(
                    panel=panel,
                    name=f"Citoyen-{len(created)}-Secret",
                    answers=answers,
                    consent_at=timezone.now(),
                )
            )
    return created


@pytest.fixture
def panel_component(org_a, admin_a):
    return make_panel_component(org_a, admin_a)


@pytest.fixture
def panel(panel_component, admin_a):
    return setup_panel(panel_component, admin_a)


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a, nickname="paul", email="paul@example.org", name="Paul Martin")


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are compared in English; pages still follow the organization's locale."""
    from django.utils import translation

    with translation.override("en"):
        yield
