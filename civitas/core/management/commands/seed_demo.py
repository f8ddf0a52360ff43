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
            admin = users.get(organization=organization, email=DEMO_ADMIN_EMAIL)
            admin.set_password(admin_password)
            admin.save(update_fields=["password"])

        participant_password = _demo_password("participant")
        participant, _new = users.get_or_create(
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
        participant.set_password(participant_password)
        participant.save(update_fields=["password"])

        system_password = _demo_password("system")
        system_admin = users.filter(organization=None, email=SYSTEM_ADMIN_EMAIL).first()
        if system_admin is None:
            system_admin = users.create_superuser(SYSTEM_ADMIN_EMAIL, system_password, name="System admin")
        else:
            system_admin.set_password(system_password)
            system_admin.save(update_fields=["password"])

        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Already there'}: {organization.name} on http://{DEMO_HOST}:8000/"
            )
        )
        self.stdout.write(f"  Organization admin: {DEMO_ADMIN_EMAIL} / {admin_password}")
        self.stdout.write(f"  Participant:        {DEMO_PARTICIPANT_EMAIL} / {participant_password}")
        self.stdout.write(
            f"  System panel:       http://{DEMO_HOST}:8000/system/  {SYSTEM_ADMIN_EMAIL} / {system_password}"
        )
