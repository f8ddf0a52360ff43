"""Seed a demo organization on http://localhost:8000. Safe to run again: nothing is duplicated.

The core creates the organization, its people and its spaces; each installed component
type fills them through its manifest's ``demo`` hook (``civitas.components.demo``).
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from civitas.components.demo import ASSEMBLY_SPACE, BUDGET_SPACE, CONVENTION_SPACE, DemoSite, run_demo_hooks
from civitas.homepage.demo import seed_home
from civitas.organizations.models import Organization
from civitas.organizations.services import do_create_organization

DEMO_HOST = "localhost"
DEMO_ADMIN_EMAIL = "admin@demo.civitas.test"
DEMO_PARTICIPANT_EMAIL = "camille@demo.civitas.test"
SYSTEM_ADMIN_EMAIL = "system@demo.civitas.test"


def _shown(user, seeded_password: str) -> str:
    """The seeded password, unless its owner changed it since (it is kept, never reset)."""
    if user.check_password(seeded_password):
        return seeded_password
    return "(changed since the demo was seeded: the seed keeps it)"


def _demo_password(name: str) -> str:
    """Generated once per checkout and kept in var/, so reruns print the same credentials."""
    path = settings.VAR_DIR / f"demo_{name}_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEMO_SPACES = [
    {
        "role": BUDGET_SPACE,
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
        "picture": (
            "town",
            ((120, 170, 220), (220, 180, 120), (200, 110, 90), (240, 220, 180)),
            "Des immeubles colorés le long d'une rue de Démoville.",
        ),
    },
    {
        "role": CONVENTION_SPACE,
        "slug": "convention-citoyenne-etudiante",
        "kind": "process",
        "blueprint": "citizen_convention",
        "title": "Convention citoyenne étudiante 2026-2027",
        "subtitle": "Cent étudiantes et étudiants tirés au sort pour un campus durable",
        "description": "La convention réunit des étudiants tirés au sort pour formuler des propositions "
        "sur la vie du campus et la transition écologique.",
        "tags": ["jeunesse", "transition écologique"],
        "active_phase_index": 0,
        "picture": (
            "gathering",
            ((250, 225, 190), (40, 90, 160), (220, 90, 70), (90, 160, 110)),
            "Des étudiantes et étudiants réunis autour d'une grande table.",
        ),
    },
    {
        "role": ASSEMBLY_SPACE,
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
        "picture": (
            "park",
            ((150, 200, 235), (70, 140, 80)),
            "Une allée du parc des Tilleuls bordée d'arbres, sous le soleil.",
        ),
    },
]


# Residents who take part in the demo (they answer, vote, register, comment); they have no
# password: only the admin, the participant and the system admin log in.
DEMO_RESIDENTS = [
    ("Nadia Benali", "nadia"),
    ("Louis Garnier", "louis"),
    ("Fatou Diallo", "fatou"),
    ("Hugo Lefèvre", "hugo"),
    ("Chloé Moreau", "chloe"),
    ("Mathieu Roux", "mathieu"),
    ("Inès Fontaine", "ines"),
    ("Thomas Girard", "thomas"),
    ("Léa Marchand", "lea"),
    ("Bernard Petit", "bernard"),
    ("Sophie Lambert", "sophie"),
    ("Karim Haddad", "karim"),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organization served on localhost."

    # Not one transaction: each component's part commits on its own (votes closed by the
    # demo have their old row versions scrubbed after their commit), and a rerun completes
    # whatever an interrupted run left out.
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

        self._seed_terms_and_help(organization, admin, participant)
        residents = self._seed_residents(organization)
        spaces = self._seed_spaces(organization, admin)
        site = DemoSite(
            organization=organization,
            admin=admin,
            participant=participant,
            residents=residents,
            spaces=spaces,
        )
        # Each installed component type adds its own part (its manifest's demo hook).
        ran = run_demo_hooks(site)
        # The home page, once the components have filled the spaces it shows.
        seed_home(organization, admin)

        # The port make run serves on (CIVITAS_BIND, passed on as CIVITAS_LINK_PORT).
        port = f":{settings.CIVITAS_LINK_PORT}" if settings.CIVITAS_LINK_PORT else ""

        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Already there'}: {organization.name} on http://{DEMO_HOST}{port}/"
            )
        )
        self.stdout.write(f"  Organization admin: {DEMO_ADMIN_EMAIL} / {_shown(admin, admin_password)}")
        self.stdout.write(
            f"  Participant:        {DEMO_PARTICIPANT_EMAIL} / {_shown(participant, participant_password)}"
        )
        for entry in DEMO_SPACES:
            self.stdout.write(f"  Space:              http://{DEMO_HOST}{port}/spaces/{entry['slug']}/")
        self.stdout.write(f"  Components:         {', '.join(ran)}")
        system_url = f"http://{DEMO_HOST}{port}/system/"
        system_login = f"{SYSTEM_ADMIN_EMAIL} / {_shown(system_admin, system_password)}"
        self.stdout.write(f"  System panel:       {system_url}  {system_login}")

    def _seed_terms_and_help(self, organization, admin, participant) -> None:
        """The terms in force (accepted by the demo participant) and two help pages, once."""
        from civitas.legal import services as legal
        from civitas.legal.models import HelpPage, TermsVersion

        if not TermsVersion.objects.filter(organization=organization).exists():
            version = legal.do_publish_terms(
                organization=organization,
                user=admin,
                title="Charte de participation",
                body=(
                    "<h2>Respect</h2><p>Chacun participe avec courtoisie : pas d’insultes, pas de publicité, "
                    "pas de données personnelles d’autrui.</p>"
                    "<h2>Vos données</h2><p>Nous gardons votre nom, votre pseudonyme, votre adresse "
                    "e-mail et vos contributions, seulement pour faire vivre la plateforme. Vous pouvez les "
                    "télécharger et supprimer votre compte à tout moment.</p>"
                ),
                summary="Première version de la charte.",
            )
            legal.do_accept_terms(user=participant, version=version)
        if not HelpPage.objects.filter(organization=organization).exists():
            pages = [
                (
                    "Créer un compte",
                    "creer-un-compte",
                    "Cliquez sur « S’inscrire » en haut de la page.\n\n"
                    "Vous recevez un e-mail pour confirmer votre adresse.",
                ),
                (
                    "Soutenir une proposition",
                    "soutenir",
                    "Ouvrez la proposition et cliquez sur « Soutenir ».\n\n"
                    "Vous pouvez retirer votre soutien tant que la phase est ouverte.",
                ),
            ]
            for title, slug, body in pages:
                legal.do_create_help_page(
                    organization=organization, user=admin, title=title, slug=slug, body=body
                )

    def _seed_residents(self, organization) -> list:
        from civitas.core.illustrations import portrait

        users = get_user_model().objects
        residents = []
        # Two residents in three show a picture; the others their initial, as in real life.
        colours = [(40, 90, 160), (200, 90, 70), (70, 140, 80), (150, 90, 160)]
        for index, (name, nickname) in enumerate(DEMO_RESIDENTS):
            resident, created = users.get_or_create(
                organization=organization,
                email=f"{nickname}@demo.civitas.test",
                defaults={
                    "name": name,
                    "nickname": nickname,
                    "locale": "fr",
                    "email_confirmed_at": timezone.now(),
                    "accepted_terms_at": timezone.now(),
                },
            )
            if created:
                resident.set_unusable_password()
                if index % 3 != 2:
                    resident.avatar = portrait(colours[index % len(colours)])
                resident.save()
            residents.append(resident)
        return residents

    def _seed_spaces(self, organization, admin) -> dict:
        """The spaces, created once; the components fill them (see run_demo_hooks)."""
        from civitas.core.illustrations import illustration
        from civitas.spaces.models import Space
        from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

        spaces = {}
        for entry in DEMO_SPACES:
            space = Space.objects.filter(organization=organization, slug=entry["slug"]).first()
            if space is None:
                fields = {
                    key: entry[key] for key in ("slug", "kind", "title", "subtitle", "description", "tags")
                }
                fields.update({key: entry[key] for key in ("purpose", "composition") if key in entry})
                # A picture drawn here (no network): the card's and, cut wider, the banner's.
                scene, palette, alt = entry["picture"]
                fields.update(
                    image=illustration(scene, palette, seed=1),
                    image_alt=alt,
                    banner=illustration(scene, palette, seed=2),
                    banner_alt=alt,
                )
                space = do_create_space(
                    organization=organization,
                    user=admin,
                    blueprint=entry["blueprint"],
                    # Each component type's demo hook adds its own component, filled in.
                    blueprint_components=False,
                    promoted=True,
                    **fields,
                )
                if entry["active_phase_index"] is not None:
                    phase = list(space.phases.all())[entry["active_phase_index"]]
                    do_activate_phase(space=space, phase=phase, user=admin)
                # Published at once: participants act in it while the components fill it.
                do_set_published(space=space, user=admin, published=True)
                space.refresh_from_db()
            spaces[entry["role"]] = space
        return spaces
