"""Seed a demo organization on http://localhost:8000. Safe to run again: nothing is duplicated."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from civitas.organizations.models import Organization
from civitas.organizations.services import do_create_organization

DEMO_HOST = "localhost"
DEMO_ADMIN_EMAIL = "admin@demo.civitas.test"
DEMO_PARTICIPANT_EMAIL = "camille@demo.civitas.test"
SYSTEM_ADMIN_EMAIL = "system@demo.civitas.test"


def _demo_password(name: str) -> str:
    """Generated once per checkout and kept in var/, so reruns print the same credentials."""
    path = settings.VAR_DIR / f"demo_{name}_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEMO_SPACES = [
    {
        "slug": "budget-participatif-2027",
        "kind": "process",
        "blueprint": "participatory_budget",
        "title": "Budget participatif 2027",
        "subtitle": "500 000 € pour les projets des habitantes et habitants",
        "description": "Proposez vos idées pour améliorer la ville, soutenez celles des autres, "
        "puis votez pour les projets que la ville réalisera.\n\nToute personne de plus de 11 ans "
        "habitant ou travaillant à Démoville peut participer.",
        "tags": ["budget", "cadre de vie"],
        "active_phase_index": 1,
        "page": (
            "Règlement du budget participatif",
            "<h2>Qui peut proposer ?</h2><p>Toute personne habitant, étudiant ou travaillant à "
            "Démoville.</p><h2>Quels projets ?</h2><ul><li>d'intérêt général ;</li><li>relevant des "
            "compétences de la ville ;</li><li>coûtant au plus 150 000 €.</li></ul>",
        ),
    },
    {
        "slug": "convention-citoyenne-etudiante",
        "kind": "process",
        "blueprint": "citizen_convention",
        "title": "Convention citoyenne étudiante 2026-2027",
        "subtitle": "Cent étudiantes et étudiants tirés au sort pour un campus durable",
        "description": "La convention réunit des étudiants tirés au sort pour formuler des propositions "
        "sur la vie du campus et la transition écologique.",
        "tags": ["jeunesse", "transition écologique"],
        "active_phase_index": 0,
        "page": (
            "Charte de la convention",
            "<p>Les membres s'engagent à écouter, à respecter la parole de chacun et à "
            "rechercher l'intérêt général.</p>",
        ),
    },
    {
        "slug": "conseil-de-quartier-des-tilleuls",
        "kind": "assembly",
        "blueprint": None,
        "title": "Conseil de quartier des Tilleuls",
        "subtitle": "L'instance de proximité du quartier",
        "description": "Le conseil de quartier se réunit chaque trimestre pour débattre des projets du "
        "quartier et relayer les attentes des habitants.",
        "purpose": "Associer les habitants aux décisions qui concernent leur quartier.",
        "composition": "Douze habitants volontaires, quatre représentants associatifs et deux élus.",
        "tags": ["quartiers"],
        "active_phase_index": None,
        "page": ("Comptes rendus", "<p>Le compte rendu de chaque séance est publié ici.</p>"),
    },
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organization served on localhost."

    @transaction.atomic
    def handle(self, *args, **options):
        users = get_user_model().objects
        admin_password = _demo_password("admin")
        organization = Organization.objects.filter(host=DEMO_HOST).first()
        if organization is None:
            organization, admin = do_create_organization(
                name="Ville de Démoville",
                host=DEMO_HOST,
                admin_email=DEMO_ADMIN_EMAIL,
                admin_name="Administratrice Démo",
                admin_password=admin_password,
                default_locale="fr",
                available_locales=["fr", "en"],
                contact_email="contact@demo.civitas.test",
            )
            created = True
        else:
            created = False
            # Kept as it is: resetting it would log the admin out and undo a password
            # changed in the interface.
            admin = users.get(organization=organization, email=DEMO_ADMIN_EMAIL)

        participant_password = _demo_password("participant")
        participant, participant_created = users.get_or_create(
            organization=organization,
            email=DEMO_PARTICIPANT_EMAIL,
            defaults={
                "name": "Camille Martin",
                "nickname": "camille",
                "locale": "fr",
                "email_confirmed_at": timezone.now(),
                "accepted_terms_at": timezone.now(),
                "about": "Habitante du quartier des Tilleuls, passionnée de jardins partagés.",
            },
        )
        if participant_created:
            participant.set_password(participant_password)
            participant.save(update_fields=["password"])

        system_password = _demo_password("system")
        system_admin = users.filter(organization=None, email=SYSTEM_ADMIN_EMAIL).first()
        if system_admin is None:
            system_admin = users.create_superuser(SYSTEM_ADMIN_EMAIL, system_password, name="System admin")

        self._seed_spaces(organization, admin)

        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Already there'}: {organization.name} on http://{DEMO_HOST}:8000/"
            )
        )
        self.stdout.write(f"  Organization admin: {DEMO_ADMIN_EMAIL} / {admin_password}")
        self.stdout.write(f"  Participant:        {DEMO_PARTICIPANT_EMAIL} / {participant_password}")
        for entry in DEMO_SPACES:
            self.stdout.write(f"  Space:              http://{DEMO_HOST}:8000/spaces/{entry['slug']}/")
        self.stdout.write(
            f"  System panel:       http://{DEMO_HOST}:8000/system/  {SYSTEM_ADMIN_EMAIL} / {system_password}"
        )

    def _seed_spaces(self, organization, admin):
        from civitas.components.manifest import registry
        from civitas.components.services import do_add_component, do_set_component_published
        from civitas.spaces.models import Space
        from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

        for entry in DEMO_SPACES:
            if Space.objects.filter(organization=organization, slug=entry["slug"]).exists():
                continue
            fields = {key: entry[key] for key in ("slug", "kind", "title", "subtitle", "description", "tags")}
            fields.update({key: entry[key] for key in ("purpose", "composition") if key in entry})
            space = do_create_space(
                organization=organization, user=admin, blueprint=entry["blueprint"], promoted=True, **fields
            )
            if entry["active_phase_index"] is not None:
                phase = list(space.phases.all())[entry["active_phase_index"]]
                do_activate_phase(space=space, phase=phase, user=admin)
            title, body = entry["page"]
            component = do_add_component(space=space, user=admin, manifest=registry.get("pages"), name=title)
            component.page.body = body
            component.page.save()
            do_set_component_published(component=component, user=admin, published=True)
            if entry["kind"] == "process":
                self._seed_proposals(space, admin)
            do_set_published(space=space, user=admin, published=True)

    def _seed_proposals(self, space, admin):
        from civitas.components.manifest import registry
        from civitas.components.proposals.services import do_create_draft, do_publish, do_support
        from civitas.components.services import (
            do_add_component,
            do_configure_component,
            do_set_component_published,
        )

        manifest = registry.get("proposals")
        component = do_add_component(space=space, user=admin, manifest=manifest, name="Propositions")
        phase_settings = {
            str(phase.pk): manifest.phase_settings.clean(
                {"creation_enabled": phase.pk == space.active_phase_id, "supports": "enabled"}
            )
            for phase in space.phases.all()
        }
        do_configure_component(
            component=component,
            user=admin,
            name=component.name,
            settings=manifest.settings.clean({"support_limit": 5}),
            phase_settings=phase_settings,
        )
        do_set_component_published(component=component, user=admin, published=True)
        participant = get_user_model().objects.get(
            organization=space.organization, email=DEMO_PARTICIPANT_EMAIL
        )
        ideas = [
            (
                "Des jardins partagés dans chaque quartier",
                "Transformer les délaissés urbains en jardins partagés, gérés par les habitants avec l'appui "
                "d'une association.",
            ),
            (
                "Une piste cyclable sécurisée avenue Jean-Jaurès",
                "Séparer physiquement les vélos de la circulation entre la gare et le lycée.",
            ),
            (
                "Des bancs et de l'ombre place du Marché",
                "Installer des bancs et planter des arbres pour que les personnes âgées "
                "puissent s'y reposer.",
            ),
        ]
        for index, (title, body) in enumerate(ideas):
            author = participant if index % 2 == 0 else admin
            proposal = do_create_draft(user=author, component=component, title=title, body=body)
            do_publish(proposal=proposal, user=author)
            if author != participant:
                do_support(proposal=proposal, user=participant)
