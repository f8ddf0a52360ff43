import pytest

from civitas.components.manifest import registry
from civitas.components.services import do_add_component, do_set_component_published
from civitas.components.surveys.models import MatrixRow, Option, Question, Survey
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory


def make_survey_component(organization, admin, *, title="Consultation sur la prison"):
    space = do_create_space(organization=organization, user=admin, kind="process", title=title)
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Consultation", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    component = do_add_component(
        space=space, user=admin, manifest=registry.get("surveys"), name="Questionnaire"
    )
    configure_component(component, admin, answers_enabled=True)
    do_set_component_published(component=component, user=admin, published=True)
    component.refresh_from_db()
    return component


def add_question(survey, kind, label, *, options=(), rows=(), other=None, position=None, **fields):
    question = Question.objects.create(
        survey=survey,
        type=kind,
        label=label,
        position=position if position is not None else survey.questions.count(),
        **fields,
    )
    for index, text in enumerate(options):
        Option.objects.create(question=question, label=text, position=index)
    if other:
        Option.objects.create(question=question, label=other, position=len(options), free_text=True)
    for index, text in enumerate(rows):
        MatrixRow.objects.create(question=question, label=text, position=index)
    return question


class Questionnaire:
    """Every question type, with a display condition; ``answer()`` builds valid form data."""

    def __init__(self, survey):
        self.survey = survey
        self.section = add_question(survey, "section", "Le projet")
        self.single = add_question(
            survey, "single", "Êtes-vous favorable à la prison ?", options=["Oui", "Non"], mandatory=True
        )
        self.why_not = add_question(survey, "long_text", "Pourquoi pas ?", max_length=200)
        self.why_not.condition_option = self.single.options.get(label="Non")
        self.why_not.save()
        self.multiple = add_question(
            survey,
            "multiple",
            "Qu’est-ce qui compte ?",
            options=["Emploi", "Sécurité", "Transports"],
            other="Autre",
            max_choices=2,
        )
        self.matrix = add_question(
            survey, "matrix_single", "Votre avis", options=["Bon", "Mauvais"], rows=["Accès", "Bruit"]
        )
        self.matrix_multi = add_question(
            survey, "matrix_multiple", "Vos usages", options=["Voiture", "Bus"], rows=["Semaine", "Week-end"]
        )
        self.ranking = add_question(survey, "ranking", "Classez", options=["A", "B", "C"])
        self.scale = add_question(survey, "scale", "Note", scale_min=1, scale_max=5)
        self.short = add_question(survey, "short_text", "Votre quartier", max_length=30)

    def o(self, question, label) -> str:
        return question.options.get(label=label).key

    def r(self, question, label) -> str:
        return question.rows.get(label=label).key

    def answer(self, *, yes=True) -> dict:
        s = self
        data = {
            s.single.key: s.o(s.single, "Oui" if yes else "Non"),
            s.multiple.key: [s.o(s.multiple, "Emploi"), s.o(s.multiple, "Autre")],
            f"{s.multiple.key}_other": "Les commerces",
            f"{s.matrix.key}_{s.r(s.matrix, 'Accès')}": s.o(s.matrix, "Bon"),
            f"{s.matrix_multi.key}_{s.r(s.matrix_multi, 'Semaine')}": [
                s.o(s.matrix_multi, "Voiture"),
                s.o(s.matrix_multi, "Bus"),
            ],
            f"{s.ranking.key}_{s.o(s.ranking, 'B')}": "1",
            f"{s.ranking.key}_{s.o(s.ranking, 'A')}": "2",
            s.scale.key: "4",
            s.short.key: "Centre",
        }
        if not yes:
            data[s.why_not.key] = "Trop près des écoles"
        return data


@pytest.fixture
def survey_component(org_a, admin_a):
    return make_survey_component(org_a, admin_a)


@pytest.fixture
def survey(survey_component):
    return Survey.objects.get(component=survey_component)


@pytest.fixture
def questionnaire(survey):
    return Questionnaire(survey)


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a, nickname="paul", email="paul@example.org")


@pytest.fixture(autouse=True)
def _english_messages():
    """Service messages are compared in English; pages still follow the organization's locale."""
    from django.utils import translation

    with translation.override("en"):
        yield
