from django.core.management.base import BaseCommand, CommandError

from civitas.organizations.models import Organization
from civitas.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of one organization (--host) or of all."

    def add_arguments(self, parser):
        parser.add_argument("--host", help="the organization's host; all organizations when omitted")

    def handle(self, *args, host=None, **options):
        organization = None
        if host:
            organization = Organization.objects.filter(host=host).first()
            if organization is None:
                raise CommandError(f"no organization with host {host!r}")
        count = rebuild(organization)
        self.stdout.write(f"{count} entries indexed")
