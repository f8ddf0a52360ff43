"""French proposals and comments for the national data set, from ``text.py``'s themes.

A proposal's title is one of its theme's claims put as a demand ("Développer les
transports en commun dans les campagnes"); its body two to six sentences of the same
theme, in paragraphs. A comment agrees, disagrees or adds a point in one to four
sentences, often about the same theme as the proposal. Bodies are the HTML the editor
and ``sanitize_html`` leave (paragraphs, text escaped), so pages show them as they
would show real ones.

Deterministic: everything is drawn from the ``random.Random`` the caller passes.
"""

from __future__ import annotations

import html
import random

from national import text

_DEMANDS = (
    ("il faut ", ""),
    ("il faudrait ", ""),
    ("on devrait ", ""),
)
AGREE = (
    "Tout à fait d'accord.",
    "Je soutiens cette proposition.",
    "Entièrement d'accord avec vous.",
    "Bonne idée, enfin du concret.",
    "Oui, et il faut aller plus loin.",
    "C'est exactement ce que nous vivons ici.",
)
DISAGREE = (
    "Je ne suis pas d'accord.",
    "Ce n'est pas si simple.",
    "Qui va payer ?",
    "Cela a déjà été essayé, sans résultat.",
    "Attention aux effets pervers.",
)
REPLY_OPENERS = (
    "",
    "",
    "Je vous rejoins : ",
    "Pas tout à fait : ",
    "Merci pour cette précision. ",
)


def _demand(claim: str) -> str:
    for prefix, replacement in _DEMANDS:
        if claim.startswith(prefix):
            return replacement + claim[len(prefix) :]
    return claim


def title(rng: random.Random, themes: tuple) -> tuple[str, object]:
    """A proposal title and the theme it comes from."""
    theme = rng.choice(themes)
    claim = rng.choice(theme.claims).format(place=rng.choice(text.PLACES), when=rng.choice(text.WHEN))
    demand = _demand(claim)
    return (demand[0].upper() + demand[1:])[:150], theme


def _paragraphs(sentences: list[str], per_paragraph: int) -> tuple[str, str]:
    """The HTML of the sentences in paragraphs, and its text as ``richtext.plain_text`` reads
    it (paragraphs joined by a space, white space collapsed), without parsing it again."""
    chunks = [sentences[i : i + per_paragraph] for i in range(0, len(sentences), per_paragraph)]
    body = "".join(f"<p>{html.escape(' '.join(chunk), quote=False)}</p>" for chunk in chunks)
    return body, " ".join(" ".join(sentences).split())


def _sentences(rng: random.Random, theme, count: int) -> list[str]:
    claims = rng.sample(theme.claims, min(count, len(theme.claims)))
    sentences = [text._sentence(rng, claim, first=index == 0) for index, claim in enumerate(claims)]
    if rng.random() < 0.3:
        sentences.append(rng.choice(text.ASIDES))
    return sentences


def proposal_body(rng: random.Random, theme) -> tuple[str, str]:
    """A proposal's HTML body and its plain text."""
    count = rng.choices((2, 3, 4, 5, 6), weights=(20, 30, 25, 15, 10))[0]
    return _paragraphs(_sentences(rng, theme, count), 3)


def comment_body(rng: random.Random, themes: tuple, theme, *, reply: bool = False) -> tuple[str, str, str]:
    """A comment's HTML body, its plain text and its alignment (for, against or neutral)."""
    roll = rng.random()
    if roll < 0.45:
        alignment, sentences = "for", [rng.choice(AGREE)]
    elif roll < 0.65:
        alignment, sentences = "against", [rng.choice(DISAGREE)]
    else:
        alignment, sentences = "neutral", []
    about = theme if rng.random() < 0.7 else rng.choice(themes)
    sentences += _sentences(rng, about, rng.choices((1, 2, 3), weights=(55, 30, 15))[0])
    if reply:
        sentences[0] = rng.choice(REPLY_OPENERS) + sentences[0]
    return (*_paragraphs(sentences, 2), alignment)
