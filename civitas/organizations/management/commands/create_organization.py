from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from civitas.organizations.services import do_create_organization


class Command(BaseCommand):
    help = "Create an organization (a tenant) served on its own host, with its first admin."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--host", required=True, help="Main host name, e.g. participation.example.fr")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="")
        parser.add_argument(
            "--admin-password", default=None, help="Omit to generate one; it is printed once."
        )
        parser.add_argument("--locale", default="fr", choices=["fr", "en"])
        parser.add_argument("--secondary-host", action="append", default=[], dest="secondary_hosts")

    def handle(self, *args, **options):
        password = options["admin_password"]
        generated = password is None
        if generated:
            import secrets

            password = secrets.token_urlsafe(12)
        try:
            organization, admin = do_create_organization(
                name=options["name"],
                host=options["host"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                default_locale=options["locale"],
                secondary_hosts=options["secondary_hosts"],
                admin_password=password,
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
            raise CommandError(f"Organization not created: {messages}") from error
        self.stdout.write(self.style.SUCCESS(f"Created {organization.name} on http://{organization.host}/"))
        self.stdout.write(f"Admin: {admin.email}" + (f"  password: {password}" if generated else ""))
