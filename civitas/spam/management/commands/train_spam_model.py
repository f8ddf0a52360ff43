from pathlib import Path

from django.core.management.base import BaseCommand

from civitas.spam import model as spam_model
from civitas.spam import scoring
from civitas.spam.management.commands._common import organization_from


class Command(BaseCommand):
    help = (
        "Train the starter spam model from the data shipped in civitas/spam/data, or, with "
        "--organization, retrain on that organization's moderation history plus the starter data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="host name or id")
        parser.add_argument(
            "--out", type=Path, help="where to write the starter model (default: its shipped place)"
        )

    def handle(self, *args, **options):
        if options["organization"]:
            from civitas.spam.training import retrain_for

            organization = organization_from(options["organization"])
            trained, counts = retrain_for(organization)
            self.stdout.write(
                f"{organization.host}: model {trained.version} trained with {counts['spam']} spam and "
                f"{counts['legitimate']} legitimate samples of its own, saved to "
                f"{scoring.organization_model_path(organization)}"
            )
        else:
            path = options["out"] or scoring.starter_model_path()
            trained = spam_model.train(spam_model.starter_data())
            spam_model.save(trained, path)
            self.stdout.write(f"model {trained.version} saved to {path}")
        self.stdout.write(spam_model.format_metrics(trained.metrics))
