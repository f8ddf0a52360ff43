import pytest

from civitas.captcha.bank import builtin_questions
from civitas.captcha.folding import fold_answer


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_bank_has_at_least_sixty_questions_with_several_answers(locale):
    questions = builtin_questions(locale)
    assert len(questions) >= 60
    assert all(question.text.strip() and question.answers for question in questions.values())
    with_several = [q for q in questions.values() if len(q.answers) >= 2]
    assert len(with_several) >= len(questions) / 2


def test_the_example_of_the_issue_is_answered_with_an_article():
    question = next(
        q for q in builtin_questions("fr").values() if "chat, courgette, carotte, bureau" in q.text
    )
    assert question.accepts("Le chat")
    assert question.accepts("CHAT")
    assert not question.accepts("carotte")
    assert not question.accepts("")


def test_no_answer_folds_to_nothing():
    for locale in ("fr", "en"):
        for question in builtin_questions(locale).values():
            assert "" not in question.answers, question.key
            assert all(answer == fold_answer(answer) for answer in question.answers)
