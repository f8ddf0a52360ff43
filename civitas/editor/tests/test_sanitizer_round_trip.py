"""What the editor posts is sanitized on the server: only what the sanitizer keeps is stored,
whatever is sent (Trix's output, pasted Word HTML, or a forged request)."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.core.links import sanitize_user_html
from civitas.core.richtext import EDITOR_IMAGE_FOLDER, plain_text, sanitize_html

OURS = "/media/editor/" + "3f" * 16 + ".png"
DANGER = re.compile(
    r"<script|<style|<iframe|<object|\son\w+=|javascript:|data:|vbscript:|style=|class=|<svg|<font|<span|mso-",
    re.IGNORECASE,
)

# Pieces of what an editor, a paste or an attacker may send.
PIECES = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<strong>gras</strong>",
    "<em>",
    "</em>",
    "<h1>Titre</h1>",
    "<h2>Intertitre</h2>",
    "<ul><li>un</li><li>deux</li></ul>",
    "<blockquote>cité</blockquote>",
    "<pre>code</pre>",
    '<a href="https://example.org/">lien</a>',
    '<a href="javascript:alert(1)">piège</a>',
    '<a href="JaVa\tScRiPt:alert(1)">piège</a>',
    '<a href="data:text/html,x">piège</a>',
    f'<figure data-trix-attachment="{{}}" class="attachment"><img src="{OURS}" width="120" height="80">'
    '<figcaption class="attachment__caption">Plan</figcaption></figure>',
    '<img src="https://tracker.example/pixel.png">',
    '<img src="//tracker.example/x.png">',
    '<img src="/media/proposals/' + "ab" * 16 + '.png">',
    '<img src="/media/editor/../secret.png">',
    f'<img src="{OURS}" onerror="alert(1)">',
    f'<img src="{OURS}" style="position:fixed">',
    '<img src="data:image/png;base64,AAAA">',
    "<script>alert(1)</script>",
    "<style>p{color:red}</style>",
    '<p onclick="alert(1)" style="color:red" class="MsoNormal">texte</p>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://example.org/"></iframe>',
    '<span style="mso-bidi-font-weight:bold">Word</span>',
    "<o:p></o:p>",
    '<font face="Calibri">police</font>',
    "<!--[if !supportLists]-->",
    "<!--[endif]-->",
    "texte & <",
    '"',
    "'",
    ">",
]


def _stored_images(html: str) -> list[str]:
    return re.findall(r'<img [^>]*src="([^"]*)"', html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_nothing_the_sanitizer_refuses_survives_storage_and_rendering(pieces):
    stored = sanitize_html("".join(pieces))
    rendered = sanitize_user_html(stored, None)
    for html in (stored, rendered):
        assert not DANGER.search(html), html
        assert all(source == OURS for source in _stored_images(html)), html
        assert "<h1" not in html and "<div" not in html
    # Saved again from the editor, it keeps its text and stays clean.
    again = sanitize_html(stored)
    assert plain_text(again) == plain_text(stored) and not DANGER.search(again)


def test_the_editor_formatting_is_kept_as_it_shows():
    trix = (
        "<h2>Le parc</h2><p>Il <strong>rouvre</strong> au <em>printemps</em>, <s>en mai</s>.</p>"
        "<ul><li>Bancs</li></ul><ol><li>Jeux</li></ol><blockquote>Cité</blockquote><pre>code</pre>"
        '<p><a href="https://example.org/plan">plan</a></p>'
        f'<figure><img src="{OURS}" width="120" height="80" alt=""><figcaption>Plan</figcaption></figure>'
    )
    stored = sanitize_html(trix)
    link = '<a href="https://example.org/plan">'
    assert stored == trix.replace(link, link[:-1] + ' rel="nofollow noopener noreferrer ugc">')
    # On the page, the link goes through the outbound-link warning page.
    assert '<a href="/link/?url=https%3A%2F%2Fexample.org%2Fplan"' in sanitize_user_html(stored, None)


def test_paragraphs_written_as_divs_stay_paragraphs():
    assert sanitize_html("<div>Un</div><div>Deux<br>trois</div>") == "<p>Un</p><p>Deux<br>trois</p>"


def test_a_picture_gets_an_empty_text_alternative_and_keeps_its_own():
    assert sanitize_html(f'<p><img src="{OURS}"></p>') == f'<p><img alt="" src="{OURS}"></p>'
    kept = sanitize_html(f'<p><img src="{OURS}" alt="Plan du &lt;parc&gt;"></p>')
    assert 'alt="Plan du parc"' in kept


def test_word_html_is_cleaned_to_its_text_and_structure():
    word = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>
    p.MsoNormal {mso-style-parent:""; margin:0cm; font-family:"Calibri",sans-serif;}</style></head>
    <body lang=FR style='tab-interval:35.4pt'><!--StartFragment-->
    <p class=MsoNormal style='margin-bottom:0cm;mso-line-height-rule:exactly'><b><span
    style='font-size:14.0pt;mso-bidi-font-size:11.0pt;color:#1F3864;mso-themecolor:accent1'>Conseil
    de quartier<o:p></o:p></span></b></p>
    <p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
    !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;
    </span></span><![endif]><font face="Arial" color="red">Ordre du jour</font><o:p></o:p></p>
    <p class=MsoNormal><i style='mso-bidi-font-style:normal'>Compte rendu</i> <a
    href="https://www.mairie.example/cr.pdf" style='color:blue'>ici</a><o:p>&nbsp;</o:p></p>
    <!--EndFragment--></body></html>"""
    stored = sanitize_html(word)
    assert not DANGER.search(stored), stored
    assert "o:p" not in stored and "Symbol" not in stored and "MsoNormal" not in stored
    assert "<b>Conseil\n    de quartier</b>" in stored
    assert "Ordre du jour" in stored
    assert "<i>Compte rendu</i>" in stored
    assert 'href="https://www.mairie.example/cr.pdf"' in stored


def test_editor_pictures_are_stored_where_the_sanitizer_expects_them(settings):
    from civitas.editor.models import EditorImage

    assert settings.MEDIA_URL == "/media/"
    assert EditorImage._meta.get_field("image").upload_to.folder == EDITOR_IMAGE_FOLDER == "editor"


def test_what_a_paste_leaves_empty_is_not_kept():
    """The outside try pasted Word text: empty paragraphs, and figures whose foreign picture
    was dropped, showed as gaps on the public page."""
    pasted = (
        "<p>Avant</p><p>&nbsp;</p><p> <br> </p>"
        '<figure><img src="https://evil.example/x.png"><figcaption></figcaption></figure>'
        f'<figure><img src="{OURS}"><figcaption>Le plan</figcaption></figure><p>Après</p>'
    )
    assert sanitize_html(pasted) == (
        f'<p>Avant</p><figure><img alt="" src="{OURS}"><figcaption>Le plan</figcaption></figure><p>Après</p>'
    )
