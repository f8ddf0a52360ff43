"""Every encrypted answer of a consultation has one size, whatever its script or length."""

import pytest

from civitas.components.surveys import services
from civitas.components.surveys.tests.conftest import add_question
from civitas.components.surveys.tests.helpers import post_data
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

# Texts at, near and far below the maximum, in the scripts residents write in.
TEXTS = [
    "",
    "Oui.",
    "é" * 60,
    "L’école de la rue Jean-Jaurès, c’est 15 € par mois" + "’" * 10,
    "Привет, " * 7 + "мир",
    "مرحبا " * 10,
    '"\\' * 30,
    "a\nb\tc" * 12,
    "中" * 30,  # 90 bytes for 60 reckoned: fits
    "🙂" * 30,  # 120 bytes: fits exactly
]
TOO_WIDE = ["中" * 41, "🙂" * 31, "\x01" * 21]


def test_every_accepted_answer_has_the_same_size_and_the_rest_is_refused(survey):
    organization = survey.component.space.organization
    text = add_question(survey, "short_text", "Votre quartier ?", max_length=60)
    choice = add_question(survey, "single", "D’accord ?", options=["Oui", "Non"], other="Autre")
    [yes, _no, other] = choice.options.order_by("position")
    for index, answer in enumerate(TEXTS):
        data = {text.key: answer, choice.key: other.key if index % 2 else yes.key}
        if index % 2:
            data[f"{choice.key}_other"] = answer or "autre"
        services.do_answer(survey=survey, user=UserFactory(organization=organization), data=post_data(data))
    sizes = {len(bytes(ciphertext)) for ciphertext in survey.envelopes().values_list("ciphertext", flat=True)}
    assert len(sizes) == 1, sizes
    for answer in TOO_WIDE:
        person = UserFactory(organization=organization)
        with pytest.raises(services.SurveyError) as refused:
            services.do_answer(
                survey=survey, user=person, data=post_data({text.key: answer, choice.key: yes.key})
            )
        assert "count for two" in str(refused.value.errors)
    assert survey.envelopes().count() == len(TEXTS)
