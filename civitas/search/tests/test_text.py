from civitas.search.text import fold, fts5_query, index_terms, query_groups, tsquery


def _matches(query: str, document: str) -> bool:
    terms = set(index_terms(document).split())
    return all(set(group) & terms for group in query_groups(query))


def test_accent_folding():
    assert fold("Délibération Œuvre Çà") == "deliberation oeuvre ca"


def test_stemming_and_accents_find_each_other():
    assert _matches("participatif", "Une démarche participative")
    assert _matches("deliberation", "La délibération du conseil")
    assert _matches("délibérations", "deliberation")
    assert _matches("meetings", "The next meeting")
    assert _matches("réunion publique", "Les REUNIONS publiques du quartier")
    assert not _matches("budget", "Une démarche participative")


def test_every_word_must_match():
    assert _matches("parc bancs", "Des bancs dans le parc")
    assert not _matches("parc piscine", "Des bancs dans le parc")


def test_stop_words_and_punctuation_are_ignored():
    assert query_groups("le, la et les !") == []
    assert index_terms("l'école") == index_terms("école")


def test_backend_query_syntax_is_quoted_and_grouped():
    groups = query_groups("délibérations parc")
    assert fts5_query(groups) == '("deliber" OR "deliberat") AND ("parc")'
    assert tsquery(groups) == "(deliber | deliberat) & (parc)"
    # Operators typed by a visitor are words, not syntax.
    assert query_groups('NEAR(" OR *') == [("near",)]
