"""French words for the theme analysis: tokens, stop words, non-answers, stems.

The stop words and non-answer words below were written for Civitas (same licence as the
project): French function words (articles, pronouns, prepositions, conjunctions, the
forms of être and avoir), the modal verbs and opinion phrases answers open with ("il
faut", "je pense que", "à mon avis"), which say nothing about what the answer is about,
and the words of non-answers ("je ne sais pas", "rien à ajouter", "RAS"). They are
listed without accents: a token is compared once its accents are folded.
"""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer

STOP_WORDS = frozenset(
    [
        "a",
        "ai",
        "aie",
        "aient",
        "aies",
        "ait",
        "alors",
        "as",
        "au",
        "aucun",
        "aucune",
        "aupres",
        "auquel",
        "aura",
        "aurai",
        "auraient",
        "aurais",
        "aurait",
        "auras",
        "aurez",
        "auriez",
        "aurions",
        "aurons",
        "auront",
        "aussi",
        "autre",
        "autres",
        "aux",
        "auxquelles",
        "auxquels",
        "avaient",
        "avais",
        "avait",
        "avant",
        "avec",
        "avez",
        "aviez",
        "avions",
        "avoir",
        "avons",
        "ayant",
        "ayez",
        "ayons",
        "bah",
        "beaucoup",
        "bien",
        "bon",
        "bref",
        "c",
        "ca",
        "car",
        "ce",
        "ceci",
        "cela",
        "celle",
        "celles",
        "celui",
        "cependant",
        "certain",
        "certaine",
        "certaines",
        "certains",
        "ces",
        "cet",
        "cette",
        "ceux",
        "chacun",
        "chacune",
        "chaque",
        "chez",
        "ci",
        "comme",
        "comment",
        "contre",
        "d",
        "dans",
        "de",
        "des",
        "deja",
        "depuis",
        "donc",
        "dont",
        "du",
        "elle",
        "elles",
        "en",
        "encore",
        "entre",
        "es",
        "est",
        "et",
        "etaient",
        "etais",
        "etait",
        "etant",
        "ete",
        "etes",
        "etiez",
        "etions",
        "etre",
        "eu",
        "eue",
        "eues",
        "eurent",
        "eus",
        "eusse",
        "eut",
        "eux",
        "faire",
        "fais",
        "fait",
        "faite",
        "faites",
        "fois",
        "font",
        "furent",
        "fus",
        "fut",
        "grand",
        "grande",
        "gros",
        "hors",
        "ici",
        "il",
        "ils",
        "j",
        "je",
        "jusqu",
        "jusque",
        "l",
        "la",
        "laquelle",
        "le",
        "lequel",
        "les",
        "lesquelles",
        "lesquels",
        "leur",
        "leurs",
        "lors",
        "lorsque",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "meme",
        "memes",
        "mes",
        "moi",
        "moins",
        "mon",
        "n",
        "ne",
        "ni",
        "non",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "ou",
        "oui",
        "par",
        "parce",
        "parmi",
        "pas",
        "peu",
        "peut",
        "peuvent",
        "plupart",
        "plus",
        "plutot",
        "pour",
        "pourquoi",
        "pourrait",
        "pourraient",
        "puis",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quelque",
        "quelques",
        "quels",
        "qui",
        "quoi",
        "s",
        "sa",
        "sans",
        "se",
        "sera",
        "serai",
        "seraient",
        "serais",
        "serait",
        "seras",
        "serez",
        "seriez",
        "serions",
        "serons",
        "seront",
        "ses",
        "si",
        "sien",
        "soi",
        "soient",
        "sois",
        "soit",
        "sommes",
        "son",
        "sont",
        "sous",
        "soyez",
        "soyons",
        "suis",
        "sur",
        "t",
        "ta",
        "tandis",
        "te",
        "tel",
        "telle",
        "telles",
        "tels",
        "tes",
        "toi",
        "ton",
        "tous",
        "tout",
        "toute",
        "toutes",
        "tres",
        "trop",
        "tu",
        "un",
        "une",
        "unes",
        "uns",
        "va",
        "vais",
        "vas",
        "vers",
        "via",
        "voici",
        "voila",
        "vont",
        "vos",
        "votre",
        "vous",
        "y",
        "etc",
        "ainsi",
        "afin",
        "alors",
        "deja",
        "enfin",
        "vraiment",
        "toujours",
        "jamais",
        "souvent",
        "surtout",
        "tant",
        "autant",
        "faut",
        "faudrait",
        "fallait",
        "doit",
        "doivent",
        "devrait",
        "devraient",
        "devons",
        "devez",
        "dois",
        "devoir",
        "pouvoir",
        "peux",
        "pouvons",
        "pourrions",
        "veux",
        "veut",
        "voulons",
        "vouloir",
        "faut-il",
        "pense",
        "pensons",
        "crois",
        "croyons",
        "semble",
        "semblent",
        "selon",
        "avis",
        "clairement",
        "franchement",
        "concretement",
        "rapidement",
        "maintenant",
        "attendre",
        "vite",
        "plus",
        "possible",
        "cas",
        "chose",
        "choses",
        "gens",
    ]
)

# Words of answers that answer nothing: an answer made only of these and stop words is
# counted apart ("empty or meaningless"), never put in a theme.
NON_ANSWER_WORDS = frozenset(
    [
        "sais",
        "sait",
        "savoir",
        "rien",
        "ajouter",
        "ajout",
        "idee",
        "idees",
        "ras",
        "neant",
        "nsp",
        "nc",
        "voir",
        "reponse",
        "reponses",
        "precedente",
        "precedent",
        "precedentes",
        "dessus",
        "dessous",
        "haut",
        "idem",
        "opinion",
        "commentaire",
        "commentaires",
        "sans-avis",
        "particulier",
        "specialement",
        "ok",
        "merci",
    ]
)

MIN_LENGTH = 2
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def fold(text: str) -> str:
    """Lower case without accents: "Électricité" -> "electricite"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Tokeniser:
    """Turns an answer into its content features (folded stems), remembering surface words.

    Each distinct word is looked at once (the cache): its accents folded, checked against
    the stop and non-answer lists, stemmed with Snowball's French stemmer (so "pollue",
    "polluent" and "pollution" count as one), then folded.
    """

    def __init__(self) -> None:
        self._stemmer = snowballstemmer.stemmer("french")
        self._features: dict[str, str | None] = {}
        # How often each surface word was seen (to show a stem as its commonest word).
        self.surface_counts: dict[str, int] = {}

    def _feature_of(self, word: str) -> str | None:
        folded = fold(word)
        if len(folded) < MIN_LENGTH or folded in STOP_WORDS or folded in NON_ANSWER_WORDS:
            return None
        # Stemmed once folded: "electricite" typed without accents is the same word.
        return self._stemmer.stemWord(folded)

    def features(self, text: str) -> list[str]:
        """The answer's features in order (empty for an empty or meaningless answer)."""
        words = _WORD.findall(text.lower())
        features = []
        cache = self._features
        counts = self.surface_counts
        for word in words:
            feature = cache.get(word, "")
            if feature == "":
                feature = cache[word] = self._feature_of(word)
            if feature is not None:
                features.append(feature)
                counts[word] = counts.get(word, 0) + 1
        return features

    def display_words(self) -> dict[str, str]:
        """Each feature as its commonest surface word (ties: alphabetical)."""
        best: dict[str, tuple[int, str]] = {}
        for word, count in self.surface_counts.items():
            feature = self._features.get(word)
            if feature is None:
                continue
            current = best.get(feature)
            if current is None or (count, _reverse(word)) > (current[0], _reverse(current[1])):
                best[feature] = (count, word)
        return {feature: word for feature, (_count, word) in best.items()}


def _reverse(word: str) -> tuple[int, ...]:
    """A key that sorts words in reverse alphabetical order, so max() prefers the first."""
    return tuple(-ord(char) for char in word)
