import sys

from django.core.management.base import BaseCommand, CommandError

from civitas.spam import scoring
from civitas.spam.features import Sample
from civitas.spam.management.commands._common import organization_from
from civitas.spam.model import ModelUnavailable


class Command(BaseCommand):
    help = (
        "Read one text per line on standard input (a profile's about text, or a comment) "
        "and print one spam probability per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["profile", "comment"], default="profile")
        parser.add_argument("--organization", help="use this organization's model (host name or id)")

    def handle(self, *args, **options):
        try:
            if options["organization"]:
                model = scoring.model_for(organization_from(options["organization"]))
            else:
                model = scoring.load_model(scoring.starter_model_path())
        except ModelUnavailable as error:
            raise CommandError(str(error)) from error
        lines = [line.rstrip("\r\n") for line in sys.stdin]
        self.stderr.write(f"model {model.version}")
        probabilities = model.predict([Sample(options["kind"], line) for line in lines])
        for probability in probabilities:
            self.stdout.write(f"{probability:.4f}")
