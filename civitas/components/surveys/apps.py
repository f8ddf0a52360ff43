from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class SurveysConfig(AppConfig):
    name = "civitas.components.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from civitas.ballotbox.closers import register_closer
        from civitas.ballotbox.opendata import register_sealed_files
        from civitas.ballotbox.services import discard_before_delete
        from civitas.components.manifest import registry
        from civitas.components.surveys import (
            personal_data,  # noqa: F401  (registers the GDPR exports)
            services,
        )
        from civitas.components.surveys.manifest import manifest
        from civitas.components.surveys.models import Survey, SurveyParticipation
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        from civitas.components.surveys import attention

        attention.register()
        discard_before_delete(Survey)
        register_searchable(
            "survey",
            _("Consultations"),
            Survey,
            document=_survey_document,
            queryset=lambda: Survey.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            position=35,
        )
        # That an account answered, never what: participation records, undated.
        register_participation(
            "survey_answer",
            _("Consultation answers"),
            lambda: SurveyParticipation.objects.all(),
            user_field="user",
            space_field="survey__component__space",
            date_field=None,
            position=40,
            kind="vote",
            counted=ngettext_lazy("%(count)s consultation answer", "%(count)s consultation answers", "count"),
        )
        register_sealed_files(
            Survey,
            visible=lambda survey: survey.results_published_at is not None,
            file_url=lambda survey: f"{survey.component.get_absolute_url()}answers.jsonl",
        )
        register_closer(
            Survey, lambda target, user, keys: services.do_close(survey=target, user=user, trustee_keys=keys)
        )
        _watch_questionnaire_changes()


def _watch_questionnaire_changes() -> None:
    """Any change to a question, an option or a matrix row renews the questionnaire's version."""
    from django.db.models.signals import post_delete, post_save

    from civitas.components.surveys.models import MatrixRow, Option, Question
    from civitas.components.surveys.questionnaire import questionnaire_changed

    def question_changed(sender, instance, **kwargs):
        questionnaire_changed(instance.survey_id)

    def part_changed(sender, instance, **kwargs):
        survey_id = (
            Question.objects.filter(pk=instance.question_id).values_list("survey_id", flat=True).first()
        )
        if survey_id is not None:
            questionnaire_changed(survey_id)

    for signal in (post_save, post_delete):
        signal.connect(question_changed, sender=Question, weak=False, dispatch_uid=f"surveys-q-{signal}")
        for model in (Option, MatrixRow):
            signal.connect(
                part_changed, sender=model, weak=False, dispatch_uid=f"surveys-{model.__name__}-{signal}"
            )


def _survey_document(survey):
    """Found by the component's name (what residents call it) and its text; never by answers."""
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = survey.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=component.name,
        text=plain_text(survey.introduction),
        url=component.get_absolute_url(),
        hidden=not component.is_published,
    )
