"""The petitions component: citizens petition, verified people sign once, the institution answers."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _statistics(component) -> dict[str, int]:
    from django.db.models import Sum

    from civitas.components.petitions.models import Petition, SignatureCounter

    totals = SignatureCounter.objects.filter(petition__component=component).aggregate(
        online=Sum("online"), paper=Sum("paper")
    )
    return {
        "petitions": Petition.objects.public().filter(component=component).count(),
        "petition_signatures": (totals["online"] or 0) + (totals["paper"] or 0),
    }


def _open_data(component):
    from civitas.components.petitions.models import Petition
    from civitas.components.petitions.opendata import petition_row

    petitions = Petition.objects.public().filter(component=component).select_related("component__space")
    yield "petitions", [petition_row(petition) for petition in petitions]


def _demo(site) -> None:
    from civitas.components.petitions.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="petitions",
    verbose_name=_("Petitions"),
    description=_(
        "Participants petition the institution; verified people sign once; past a threshold it answers."
    ),
    icon="proposals",
    settings=SettingsSchema(
        (
            Setting(
                "answer_threshold",
                "integer",
                label=_("Signatures that oblige the institution to answer (0 = use the share below)"),
                default=0,
                minimum=0,
                maximum=100_000_000,
            ),
            Setting(
                "residents",
                "integer",
                label=_("Number of residents (for a threshold in % of residents)"),
                default=0,
                minimum=0,
                maximum=100_000_000,
            ),
            Setting(
                "answer_threshold_percent",
                "integer",
                label=_("…or this share of the residents, in %"),
                default=0,
                minimum=0,
                maximum=100,
            ),
            Setting(
                "debate_threshold",
                "integer",
                label=_("Signatures that trigger a public debate (0 = none)"),
                default=0,
                minimum=0,
                maximum=100_000_000,
            ),
            Setting(
                "signing_days",
                "integer",
                label=_("Days of signing, by default"),
                default=90,
                minimum=1,
                maximum=730,
            ),
        )
    ),
    phase_settings=SettingsSchema(
        (
            Setting(
                "creation_enabled", "boolean", label=_("Participants can draft petitions"), default=False
            ),
            Setting("signing_enabled", "boolean", label=_("Petitions can be signed"), default=True),
        )
    ),
    actions=(
        Action("create", _("Draft a petition"), phase_setting="creation_enabled"),
        Action("sign", _("Sign a petition"), phase_setting="signing_enabled"),
    ),
    resources=("petitions.Petition", "petitions.Signature"),
    public_urls="civitas.components.petitions.urls",
    admin_urls="civitas.components.petitions.admin_urls",
    admin_url_name="petitions_admin:index",
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
