"""The survey component: anonymous questionnaires, answered online, on paper or by post."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _create_survey(component) -> None:
    from civitas.components.surveys.models import Survey

    Survey.objects.get_or_create(component=component)


def _statistics(component) -> dict[str, int]:
    from civitas.components.surveys.models import Answer

    return {"answers": Answer.objects.filter(survey__component=component).count()}


def _open_data(component):
    from civitas.components.surveys.results import results_rows

    survey = getattr(component, "survey", None)
    if survey is not None and survey.results_published_at:
        yield "survey_results", list(results_rows(survey))


def _demo(site) -> None:
    from civitas.components.surveys.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="surveys",
    verbose_name=_("Survey"),
    description=_(
        "An anonymous questionnaire, answered online, on paper or by post, with verifiable results."
    ),
    icon="survey",
    phase_settings=SettingsSchema(
        (Setting("answers_enabled", "boolean", label=_("Participants can answer"), default=False),)
    ),
    actions=(Action("answer", _("Answer the survey"), phase_setting="answers_enabled"),),
    resources=("surveys.Survey", "surveys.Question", "surveys.Answer"),
    public_urls="civitas.components.surveys.urls",
    admin_urls="civitas.components.surveys.admin_urls",
    admin_url_name="surveys_admin:index",
    on_create=_create_survey,
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
