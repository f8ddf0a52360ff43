"""French free-text answers for the national data set, written from planted themes.

The four consultations follow the Grand Débat National's four questionnaires (2019). Each
open question is answered from a handful of themes a resident could raise; an answer is
one to a dozen sentences, mostly about one theme, sometimes touching a second, with the
openers, hesitations and asides real answers have, and a few answers that say nothing
("Je ne sais pas."). Lengths follow the long tail seen in such consultations: most answers
hold one or two sentences, some run to a thousand characters and more.

Nothing here is taken from the real contributions: the sentences are written for this
generator. Because the themes are planted, a topic analysis run on the answers can be
checked against them (``answer_with_theme`` says which theme wrote an answer).

Everything is deterministic: the same seed gives the same answers, in the same order,
on any machine (``random.Random`` only, no hash-dependent iteration).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

PLACES = (
    "dans les campagnes",
    "en ville",
    "dans mon village",
    "dans les zones rurales",
    "en banlieue",
    "dans les petites communes",
    "dans les quartiers populaires",
    "en outre-mer",
    "dans notre département",
    "partout en France",
)
WHEN = ("rapidement", "dès maintenant", "sans attendre", "enfin", "vraiment", "au plus vite", "concrètement")
OPENERS = (
    "",
    "",
    "",
    "Pour moi, ",
    "À mon avis, ",
    "Je pense que ",
    "Selon moi, ",
    "Clairement, ",
    "Franchement, ",
    "Il me semble que ",
    "Avant tout, ",
    "Comme beaucoup, je pense que ",
)
ASIDES = (
    "On en parle depuis des années.",
    "C'est du bon sens.",
    "Je le vois tous les jours autour de moi.",
    "Mes voisins disent la même chose.",
    "Ce n'est pas si compliqué.",
    "Il faut arrêter les promesses.",
    "Merci de nous demander notre avis.",
    "J'espère que cette contribution sera lue.",
    "Nous attendons des actes.",
    "Les gens sont fatigués.",
)
EMPTY = (
    "Je ne sais pas.",
    "Rien à ajouter.",
    "Pas d'avis.",
    "Voir ma réponse précédente.",
    "Aucune idée",
    "RAS",
)


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class OpenQuestion:
    key: str
    text: str
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class Consultation:
    slug: str
    title: str
    questions: tuple[OpenQuestion, ...]


def _theme(key: str, label: str, *claims: str) -> Theme:
    return Theme(key, label, claims)


ECOLOGY = (
    _theme(
        "transports",
        "Transports et mobilité",
        "il faut développer les transports en commun {place}",
        "sans voiture on ne peut pas aller travailler {place}",
        "les trains régionaux doivent revenir {place} avec des horaires qui servent",
        "le prix du carburant pénalise ceux qui n'ont pas d'autre choix que la voiture",
        "il faudrait des pistes cyclables sûres et un vrai plan vélo",
        "le covoiturage et les bus à la demande doivent être aidés {when}",
        "le fret doit passer de la route au rail",
    ),
    _theme(
        "pollution",
        "Pollution de l'air, de l'eau et des sols",
        "la pollution de l'air rend nos enfants malades {place}",
        "les pesticides polluent l'eau que nous buvons",
        "il faut interdire le glyphosate {when}",
        "les nitrates et les algues vertes abîment nos rivières et nos plages",
        "les particules fines des camions et des chauffages au bois sont un vrai problème",
        "les industriels qui polluent doivent payer les dégâts",
    ),
    _theme(
        "renovation",
        "Logement et rénovation énergétique",
        "il faut aider les ménages à isoler leur logement {when}",
        "les passoires thermiques coûtent cher aux locataires",
        "les aides à la rénovation sont trop compliquées à obtenir",
        "on devrait remplacer les chaudières au fioul par des pompes à chaleur",
        "les propriétaires bailleurs doivent être obligés de rénover",
        "la facture de chauffage explose chaque hiver",
    ),
    _theme(
        "dechets",
        "Déchets, emballages et consommation",
        "il y a beaucoup trop d'emballages plastiques dans les supermarchés",
        "il faut généraliser le vrac et la consigne des bouteilles",
        "l'obsolescence programmée doit être punie",
        "le tri des déchets devrait être le même {place}",
        "il faut pouvoir réparer ses appareils au lieu de les jeter",
        "les dépôts sauvages se multiplient {place}",
    ),
    _theme(
        "agriculture",
        "Agriculture et alimentation",
        "il faut soutenir les agriculteurs qui passent au bio",
        "les circuits courts et les marchés de producteurs doivent être encouragés",
        "les cantines devraient servir des produits locaux et de saison",
        "les paysans doivent vivre de leur travail sans dépendre des subventions",
        "l'élevage intensif fait du mal aux animaux et à la terre",
        "on perd des terres agricoles au profit des zones commerciales {place}",
    ),
    _theme(
        "energie",
        "Énergie et climat",
        "il faut investir massivement dans le solaire et l'éolien",
        "le nucléaire reste nécessaire pour produire une électricité sans carbone",
        "la taxe carbone doit être juste et redistribuée aux ménages",
        "le réchauffement climatique impose de changer nos habitudes {when}",
        "les grandes entreprises doivent réduire leurs émissions avant les particuliers",
        "le prix de l'électricité doit rester abordable",
    ),
)

TAXES = (
    _theme(
        "justice_fiscale",
        "Justice fiscale",
        "il faut rétablir l'impôt sur la fortune",
        "les plus riches doivent contribuer davantage",
        "la classe moyenne paye pour tout le monde",
        "l'évasion fiscale des multinationales doit être combattue {when}",
        "les niches fiscales profitent surtout aux plus aisés",
        "chacun devrait payer un impôt sur le revenu, même symbolique",
    ),
    _theme(
        "tva_pouvoir_achat",
        "TVA et pouvoir d'achat",
        "il faut baisser la TVA sur les produits de première nécessité",
        "avec mon salaire je n'arrive plus à finir le mois",
        "les retraités ont perdu du pouvoir d'achat avec la hausse de la CSG",
        "le prix de l'essence et des courses augmente plus vite que les salaires",
        "il faudrait indexer les pensions sur l'inflation",
        "les petits salaires doivent augmenter {when}",
    ),
    _theme(
        "depenses",
        "Dépenses publiques et gaspillage",
        "l'État gaspille l'argent public",
        "il faut réduire le train de vie des élus et des ministres",
        "les avantages des anciens présidents doivent être supprimés",
        "trop d'agences et de comités coûtent cher sans servir à rien",
        "chaque euro dépensé devrait être contrôlé et publié",
        "la dette publique pèsera sur nos enfants",
    ),
    _theme(
        "fraude",
        "Fraude et contrôle",
        "la fraude sociale doit être mieux contrôlée",
        "la fraude fiscale coûte bien plus que la fraude sociale",
        "il faut plus d'inspecteurs des impôts",
        "les sanctions contre les fraudeurs sont trop faibles",
        "les paradis fiscaux doivent être fermés en Europe",
    ),
    _theme(
        "entreprises",
        "Entreprises et emploi",
        "les petites entreprises et les artisans sont écrasés de charges",
        "les grands groupes paient moins d'impôts que les commerçants {place}",
        "il faut baisser les charges sur le travail pour embaucher",
        "les aides aux entreprises doivent être conditionnées à l'emploi",
        "les dividendes ne devraient pas passer avant les salaires",
    ),
)

DEMOCRACY = (
    _theme(
        "referendum",
        "Référendum d'initiative citoyenne",
        "il faut instaurer le référendum d'initiative citoyenne",
        "les citoyens doivent pouvoir proposer et abroger des lois",
        "un référendum local devrait être possible {place}",
        "le RIC permettrait de reprendre confiance dans la politique",
        "les grandes décisions doivent être soumises au peuple",
    ),
    _theme(
        "vote_blanc",
        "Vote blanc et vote obligatoire",
        "le vote blanc doit être reconnu comme un suffrage exprimé",
        "il faudrait rendre le vote obligatoire",
        "si le vote blanc l'emporte l'élection devrait être refaite",
        "l'abstention montre que les gens ne se sentent plus représentés",
        "la proportionnelle donnerait une voix à tout le monde",
    ),
    _theme(
        "elus",
        "Élus, mandats et confiance",
        "il faut réduire le nombre de députés et de sénateurs",
        "les élus doivent rendre des comptes sur leurs promesses",
        "le cumul des mandats dans le temps doit être limité",
        "un élu condamné ne devrait plus jamais pouvoir se présenter",
        "les élus sont coupés de la vie réelle des gens",
        "le maire est le seul élu en qui j'ai encore confiance",
    ),
    _theme(
        "participation",
        "Participation citoyenne",
        "il faut consulter les citoyens plus souvent, pas seulement en temps de crise",
        "des assemblées citoyennes tirées au sort devraient conseiller le gouvernement",
        "les conseils de quartier doivent avoir un vrai budget",
        "ce grand débat doit déboucher sur des décisions {when}",
        "les associations font vivre la démocratie {place}",
    ),
    _theme(
        "laicite_civisme",
        "Civisme, laïcité et vivre-ensemble",
        "l'éducation civique doit être renforcée à l'école",
        "la laïcité doit être respectée partout",
        "un service civique obligatoire rapprocherait les jeunes",
        "le respect et la politesse se perdent",
        "il faut lutter contre toutes les discriminations",
    ),
)

STATE = (
    _theme(
        "services_proximite",
        "Services publics de proximité",
        "les services publics disparaissent {place}",
        "la poste, la gare et la trésorerie ont fermé {place}",
        "il faut garder une maison de services au public dans chaque canton",
        "les écoles rurales ne doivent plus fermer",
        "on doit faire des dizaines de kilomètres pour la moindre démarche",
    ),
    _theme(
        "sante",
        "Santé et hôpital",
        "il n'y a plus de médecins {place}",
        "les urgences de l'hôpital sont saturées",
        "il faut supprimer le numerus clausus et former plus de médecins",
        "les délais pour voir un spécialiste sont beaucoup trop longs",
        "les soignants sont épuisés et mal payés",
        "les maternités de proximité doivent rester ouvertes",
    ),
    _theme(
        "numerique",
        "Démarches en ligne et numérique",
        "tout passer par internet exclut les personnes âgées",
        "il faut toujours pouvoir parler à une personne au guichet",
        "la fibre et le réseau mobile n'arrivent pas {place}",
        "les sites de l'administration sont compliqués à utiliser",
        "les démarches en ligne ont simplifié ma vie",
    ),
    _theme(
        "decentralisation",
        "Décentralisation et millefeuille administratif",
        "il y a trop d'échelons administratifs",
        "les départements et les régions font doublon",
        "les décisions doivent être prises au plus près des habitants",
        "les communes manquent de moyens depuis la baisse des dotations",
        "Paris décide de tout sans connaître la province",
    ),
    _theme(
        "securite_justice",
        "Sécurité et justice",
        "il faut plus de policiers et de gendarmes {place}",
        "la justice est trop lente",
        "les peines prononcées doivent être exécutées",
        "les commissariats et les gendarmeries ferment {place}",
        "les victimes se sentent abandonnées",
    ),
)


CONSULTATIONS: tuple[Consultation, ...] = (
    Consultation(
        "transition-ecologique",
        "La transition écologique",
        (
            OpenQuestion(
                "probleme",
                "Quel est aujourd'hui pour vous le problème concret le plus important"
                " dans le domaine de l'environnement ?",
                ECOLOGY,
            ),
            OpenQuestion(
                "solutions",
                "Que faudrait-il faire selon vous pour apporter des réponses à ce problème ?",
                ECOLOGY,
            ),
        ),
    ),
    Consultation(
        "fiscalite-depenses",
        "La fiscalité et les dépenses publiques",
        (
            OpenQuestion(
                "impots",
                "Que faudrait-il faire pour rendre la fiscalité plus juste et plus efficace ?",
                TAXES,
            ),
            OpenQuestion(
                "economies",
                "Quelles sont les dépenses publiques qu'il faut réduire en priorité ?",
                TAXES,
            ),
        ),
    ),
    Consultation(
        "democratie-citoyennete",
        "La démocratie et la citoyenneté",
        (
            OpenQuestion(
                "confiance",
                "Que faudrait-il faire pour mieux associer les citoyens aux grandes décisions ?",
                DEMOCRACY,
            ),
            OpenQuestion(
                "representation",
                "En qui faites-vous le plus confiance pour vous faire représenter"
                " dans la société et pourquoi ?",
                DEMOCRACY,
            ),
        ),
    ),
    Consultation(
        "organisation-etat",
        "L'organisation de l'État et des services publics",
        (
            OpenQuestion(
                "services",
                "Quels sont les services publics qui doivent le plus évoluer selon vous ?",
                STATE,
            ),
            OpenQuestion(
                "proximite",
                "Avez-vous déjà renoncé à un droit ou à une démarche faute de service public proche ?",
                STATE,
            ),
        ),
    ),
)

# How many sentences an answer holds: mostly one or two, a long tail to twelve.
_SENTENCE_WEIGHTS = (34, 24, 14, 9, 6, 4, 3, 2, 1.5, 1, 0.8, 0.7)
_EMPTY_SHARE = 0.04
_SECOND_THEME_SHARE = 0.25
_ASIDE_SHARE = 0.15


def _sentence(rng: random.Random, claim: str, first: bool) -> str:
    claim = claim.format(place=rng.choice(PLACES), when=rng.choice(WHEN))
    opener = rng.choice(OPENERS) if first or rng.random() < 0.3 else ""
    if opener.endswith("que ") and claim[0] in "aeiouyéèêàâîôû":
        opener = opener[:-2] + "'"  # "que il" is written "qu'il"
    text = opener + claim
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", " !", "..."))


def _claims(rng: random.Random, theme: Theme) -> Iterator[str]:
    """The theme's claims in a random order, reshuffled when all were used: few repeats."""
    while True:
        yield from rng.sample(theme.claims, len(theme.claims))


def answer_with_theme(rng: random.Random, question: OpenQuestion) -> tuple[str, str | None]:
    """One answer and the key of the theme that wrote most of it (None for an empty answer)."""
    if rng.random() < _EMPTY_SHARE:
        return rng.choice(EMPTY), None
    theme = rng.choice(question.themes)
    count = rng.choices(range(1, len(_SENTENCE_WEIGHTS) + 1), weights=_SENTENCE_WEIGHTS)[0]
    second = rng.choice(question.themes) if count > 1 and rng.random() < _SECOND_THEME_SHARE else theme
    claims = {theme.key: _claims(rng, theme), second.key: _claims(rng, second)}
    sentences = []
    for index in range(count):
        # The second theme takes at most the last third of a long answer: the main one stays main.
        source = second if index >= max(1, (2 * count) // 3) else theme
        sentences.append(_sentence(rng, next(claims[source.key]), first=index == 0))
        if rng.random() < _ASIDE_SHARE:
            sentences.append(rng.choice(ASIDES))
    return " ".join(sentences), theme.key


def answers(question: OpenQuestion, count: int, seed: int) -> Iterator[str]:
    """``count`` answers to ``question``, the same for the same seed."""
    rng = random.Random(f"{seed}:{question.key}")
    for _ in range(count):
        yield answer_with_theme(rng, question)[0]


def open_questions() -> list[tuple[Consultation, OpenQuestion]]:
    return [(consultation, question) for consultation in CONSULTATIONS for question in consultation.questions]
