"""Read bounce reports and mark the newsletter deliveries they name as bounced.

    python manage.py newsletter_bounces /var/mail/bounces [more files…] [--organization HOST]

Each file is an mbox or a single message. Reports quoting our ``X-Civitas-Delivery``
header find their delivery by it; the others are matched by address within the
organization given with ``--organization``. Run it from cron on the mailbox the
``Return-Path`` of newsletters points to, then empty that mailbox.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civitas.newsletters.bounces import bounces_in, messages_in
from civitas.newsletters.services import do_record_bounce
from civitas.organizations.models import Organization


class Command(BaseCommand):
    help = "Mark newsletter deliveries as bounced from bounce reports (mbox or message files)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--organization", help="host of the organization for reports without our header")

    def handle(self, *args, paths, organization=None, **options):
        fallback = None
        if organization:
            fallback = Organization.objects.filter(host=organization).first()
            if fallback is None:
                raise CommandError(f"No organization has the host {organization!r}.")
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
        marked = unmatched = reports = 0
        for path in paths:
            for message in messages_in(path):
                for bounce in bounces_in(message):
                    reports += 1
                    target = fallback
                    if bounce.organization_id is not None:
                        target = Organization.objects.filter(pk=bounce.organization_id).first()
                    delivery = None
                    if target is not None:
                        delivery = do_record_bounce(
                            organization=target,
                            delivery_id=bounce.delivery_id,
                            email=bounce.email,
                            hard=bounce.hard,
                        )
                    if delivery is None:
                        unmatched += 1
                        self.stderr.write(f"no delivery found for {bounce.email}")
                    else:
                        marked += 1
        self.stdout.write(
            f"{reports} bounced recipients read, {marked} deliveries marked, {unmatched} not found "
            f"(addresses stop after {settings.NEWSLETTER_HARD_BOUNCE_LIMIT} hard bounces)."
        )
