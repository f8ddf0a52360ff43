from hypothesis import given
from hypothesis import strategies as st

from civitas.versions.diff import Segment, has_changes, text_of_html, word_diff


def _rebuild(segments, keep):
    return "".join(segment.text for segment in segments if segment.kind in keep)


def test_a_changed_word_is_one_removal_and_one_addition():
    assert word_diff("Des bancs au square.", "Des arbres au square.") == [
        Segment("same", "Des "),
        Segment("removed", "bancs"),
        Segment("added", "arbres"),
        Segment("same", " au square."),
    ]


def test_a_changed_comma_leaves_its_word_alone():
    segments = word_diff("Oui, mais", "Oui; mais")
    assert Segment("removed", ",") in segments and Segment("added", ";") in segments
    assert _rebuild(segments, {"same"}) == "Oui mais"


def test_identical_texts_have_no_change():
    assert not has_changes(word_diff("Même texte", "Même texte"))
    assert word_diff("", "") == []


@given(st.text(), st.text())
def test_both_texts_come_back_from_the_segments(old, new):
    segments = word_diff(old, new)
    assert _rebuild(segments, {"same", "removed"}) == old
    assert _rebuild(segments, {"same", "added"}) == new


def test_html_reads_as_its_words_one_paragraph_a_line():
    html = "<p>Le parc&nbsp;<strong>rouvre</strong>.</p><ul><li>Bancs</li><li>Jeux</li></ul>"
    html += "<p>Fin &amp; merci</p>"
    assert text_of_html(html) == "Le parc rouvre.\n• Bancs\n• Jeux\nFin & merci"


def test_markup_alone_is_no_change_in_words():
    assert not has_changes(word_diff(text_of_html("<p>Un <em>mot</em></p>"), text_of_html("<p>Un mot</p>")))
