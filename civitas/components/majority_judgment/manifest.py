"""The majority-judgment component: every voter grades every candidate; ranked by majority grade."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _create_election(component) -> None:
    from civitas.components.majority_judgment.models import Election

    Election.objects.get_or_create(component=component)


def _statistics(component) -> dict[str, int]:
    from civitas.components.majority_judgment.models import Candidate, Participation

    return {
        "majority_judgment_candidates": Candidate.objects.filter(election__component=component).count(),
        "majority_judgment_votes": Participation.objects.filter(election__component=component).count(),
    }


def _open_data(component):
    from civitas.components.majority_judgment.models import Election
    from civitas.components.majority_judgment.results import election_results, results_visible

    election = Election.objects.filter(component=component).first()
    rows = []
    if election is not None and results_visible(election):
        for line in election_results(election).lines:
            rows.append(
                {
                    "space": component.space.slug,
                    "component_id": component.pk,
                    "candidate": line.title,
                    "rank": line.rank,
                    "majority_grade": line.majority_grade_name,
                    "profile": " ".join(str(count) for count in line.counts_highest_first),
                }
            )
    yield "majority_judgment_results", rows


def _demo(site) -> None:
    from civitas.components.majority_judgment.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="majority_judgment",
    verbose_name=_("Majority judgment"),
    description=_("Every voter grades every candidate; candidates are ranked by their majority grade."),
    icon="majority_judgment",
    settings=SettingsSchema(()),
    phase_settings=SettingsSchema(
        (
            Setting("voting_enabled", "boolean", label=_("Voting is open"), default=False),
            Setting(
                "results_shown",
                "boolean",
                label=_("Results are shown (once the vote is closed)"),
                default=True,
            ),
        )
    ),
    actions=(Action("vote", _("Vote by majority judgment"), phase_setting="voting_enabled"),),
    resources=("majority_judgment.Election", "majority_judgment.Candidate"),
    public_urls="civitas.components.majority_judgment.urls",
    admin_urls="civitas.components.majority_judgment.admin_urls",
    admin_url_name="majority_judgment_admin:index",
    on_create=_create_election,
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
