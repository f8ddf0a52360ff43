from django.core.management.base import BaseCommand, CommandError

from civitas.spam import model as spam_model
from civitas.spam import quality, scoring
from civitas.spam.management.commands._common import organization_from
from civitas.spam.models import SpamSettings


class Command(BaseCommand):
    help = (
        "Evaluate the model on the held-out split: precision, recall, ROC AUC, and the shares "
        "reported and blocked at the two thresholds, for spam and for legitimate samples, and the "
        "share of legitimate profiles and comments reported by length of text."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="that organization's model, data and thresholds")

    def handle(self, *args, **options):
        organization = organization_from(options["organization"]) if options["organization"] else None
        try:
            model = (
                scoring.model_for(organization)
                if organization
                else scoring.load_model(scoring.starter_model_path())
            )
        except spam_model.ModelUnavailable as error:
            raise CommandError(str(error)) from error
        heldout = [item for item in spam_model.starter_data() if item.heldout]
        thresholds = {}
        if organization is not None:
            from civitas.spam.training import organization_data

            heldout += [item for item in organization_data(organization) if item.heldout]
            current = SpamSettings.for_organization(organization)
            thresholds = {
                "report_threshold": float(current.report_threshold),
                "block_threshold": float(current.block_threshold),
            }
        metrics = spam_model.evaluate(model, heldout, **thresholds)
        self.stdout.write(f"model {model.version}")
        self.stdout.write(spam_model.format_metrics(metrics))
        self.stdout.write("")
        self.stdout.write(
            quality.format_quality(
                quality.quality(
                    model,
                    heldout,
                    report_threshold=metrics["report_threshold"],
                    block_threshold=metrics["block_threshold"],
                )
            )
        )
