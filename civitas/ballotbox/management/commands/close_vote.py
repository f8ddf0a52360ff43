"""Close a sealed vote from the command line, with the trustees' key files.

    manage.py close_vote surveys.survey 12 --admin mairie@example.fr \
        --trustee-key bailiff.txt --trustee-key opposition.txt

Key files are given in the order the trustees were named (as on the vote's admin page).
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from civitas.ballotbox.closers import closer_for


class Command(BaseCommand):
    help = "Open the encrypted ballots of a vote, tally, seal and freeze it."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="the vote's model, e.g. surveys.survey, majority_judgment.election")
        parser.add_argument("id", type=int)
        parser.add_argument("--admin", required=True, help="e-mail of the admin closing it (action log)")
        parser.add_argument("--trustee-key", action="append", default=[], metavar="FILE")

    def handle(self, *args, kind, id, admin, trustee_key, **options):  # noqa: A002
        try:
            close = closer_for(kind)
            target = apps.get_model(kind).objects.get(pk=id)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from None
        except apps.get_model(kind).DoesNotExist:
            raise CommandError(f"no {kind} with id {id}") from None
        organization_id = target.component.space.organization_id
        user = get_user_model().objects.filter(email__iexact=admin, organization_id=organization_id).first()
        if user is None or not user.has_perm("spaces.admin_space", target.component.space):
            raise CommandError(f"{admin} is not an admin of the space of this vote")
        keys = []
        for path in trustee_key:
            try:
                with open(path, encoding="utf-8") as stream:
                    keys.append(stream.read(4096))
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error}") from None
        try:
            close(target, user, keys)
        except Exception as error:
            message = getattr(error, "message", None)
            if message is None:
                raise
            raise CommandError(str(message)) from None
        target.refresh_from_db()
        self.stdout.write(f"closed: {target.ballot_count()} records, seal {target.seal}")
