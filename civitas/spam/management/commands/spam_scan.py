from django.core.management.base import BaseCommand, CommandError

from civitas.organizations.models import Organization
from civitas.spam import services
from civitas.spam.management.commands._common import organization_from


class Command(BaseCommand):
    help = "Score the accounts new or changed since the last scan; report, block and send the daily digests."

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="host name or id (default: every organization)")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)
        parser.add_argument("--no-digest", action="store_true", help="do not send the admins' daily e-mails")

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        organizations = (
            [organization_from(options["organization"])]
            if options["organization"]
            else list(Organization.objects.order_by("pk"))
        )
        failed = False
        for organization in organizations:
            run = services.scan_organization(organization, batch_size=options["batch_size"])
            digests = 0 if options["no_digest"] else services.send_digests(organization)
            if run.error:
                failed = True
                self.stderr.write(f"{organization.host}: no scan, the model is unavailable: {run.error}")
            else:
                self.stdout.write(
                    f"{organization.host}: examined {run.examined}, scored {run.scored}, "
                    f"reported {run.reported}, blocked {run.blocked}, digests {digests} "
                    f"(model {run.model_version})"
                )
        if failed:
            raise CommandError("the spam model is unavailable: nobody was reported or blocked")
