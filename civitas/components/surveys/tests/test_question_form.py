"""The question form offers each field only to the types of question that use it.

Without JavaScript every field shows, each with a hint naming the types that use it; the
server keeps a value only where the type reads it, drops the others and says which it
dropped (choice made here: drop and tell, rather than refuse the whole form, since a
form without JavaScript always sends the scale's preset values and the hidden fields'
leftovers). With JavaScript the fields of other types hide: the Chromium walk of
``test_browser_question_form`` checks that.
"""

import pytest

from civitas.components.surveys.admin_forms import APPLIES_TO
from civitas.components.surveys.models import Question

pytestmark = pytest.mark.django_db


def _new(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/questions/new/"


def test_every_typed_field_carries_its_types_and_a_hint_naming_them(client_a, admin_a, survey_component):
    client_a.force_login(admin_a)
    html = client_a.get(_new(survey_component)).content.decode()
    assert html.count("data-question-types=") == len(APPLIES_TO)
    assert 'data-question-types="multiple single"' in html  # the "Other" option: choice questions
    assert 'data-question-types="scale"' in html
    assert "question_form.js" in html
    # The hint, in French (the default language), names the types.
    assert "Uniquement pour : Choix unique, Choix multiple." in html


def test_fields_the_type_does_not_use_are_dropped_and_named(client_a, admin_a, survey_component):
    client_a.force_login(admin_a)
    response = client_a.post(
        _new(survey_component),
        {
            "type": "short_text",
            "label": "Votre quartier ?",
            "description": "",
            "max_length": "80",
            "options_text": "Nord\nSud",  # left over from a choice question
            "max_choices": "2",
            "scale_min": "1",  # the preset values a form without JavaScript always sends
            "scale_max": "5",
            "scale_min_label": "Pas du tout",
        },
        follow=True,
    )
    question = Question.objects.get(label="Votre quartier ?")
    assert question.max_length == 80
    assert not question.options.exists()
    assert question.max_choices is None and question.scale_min_label == ""
    messages = [str(message) for message in response.context["messages"]]
    dropped = next(message for message in messages if "Options" in message)
    assert "Texte court" in dropped
    for label in ("Options, une par ligne", "Nombre maximal de choix", "Libellé de la valeur la plus basse"):
        assert label.lower() in dropped.lower()
    assert "Valeur la plus basse" not in dropped  # unchanged from its preset: nothing was lost


def test_a_scale_keeps_its_bounds_and_a_choice_question_its_options(client_a, admin_a, survey_component):
    client_a.force_login(admin_a)
    new = _new(survey_component)
    common = {"description": "", "scale_min": "0", "scale_max": "10"}
    client_a.post(new, {**common, "type": "scale", "label": "Note ?", "scale_max_label": "Très bien"})
    scale = Question.objects.get(label="Note ?")
    assert (scale.scale_min, scale.scale_max, scale.scale_max_label) == (0, 10, "Très bien")
    response = client_a.post(
        new,
        {**common, "type": "multiple", "label": "Lesquels ?", "options_text": "A\nB\nC", "max_choices": "2"},
    )
    assert response.status_code == 302
    choice = Question.objects.get(label="Lesquels ?")
    assert choice.max_choices == 2 and choice.options.count() == 3
    assert (choice.scale_min, choice.scale_max) == (1, 5)  # another type's values: back to the defaults


def test_errors_still_come_from_the_fields_the_type_uses(client_a, admin_a, survey_component):
    client_a.force_login(admin_a)
    response = client_a.post(
        _new(survey_component),
        {
            "type": "single",
            "label": "Oui ou non ?",
            "options_text": "Oui",
            "scale_min": "1",
            "scale_max": "5",
        },
    )
    assert response.status_code == 200
    assert "Donnez au moins deux options." in response.content.decode()
    assert not Question.objects.filter(label="Oui ou non ?").exists()
