import pytest

from civitas.captcha.folding import fold_answer


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chat", "chat"),
        ("Le chat", "chat"),
        ("  CHAT. ", "chat"),
        ("la Carotte", "carotte"),
        ("l'éléphant", "elephant"),
        ("L’Éléphant", "elephant"),
        ("les poireaux", "poireaux"),
        ("un vélo", "velo"),
        ("de la farine", "farine"),
        ("The cat", "cat"),
        ("an apple", "apple"),
        ("Vingt et un", "vingtetun"),
        ("vingt-et-un", "vingtetun"),
        ("Œuf", "oeuf"),
        ("Lundi !", "lundi"),
    ],
)
def test_folding(typed, expected):
    assert fold_answer(typed) == expected


def test_a_lone_article_is_kept():
    # "un" alone is the number one, not an article.
    assert fold_answer("un") == "un"
    assert fold_answer("A") == "a"


def test_empty_and_punctuation_only_fold_to_nothing():
    assert fold_answer("   ") == ""
    assert fold_answer("?!") == ""
