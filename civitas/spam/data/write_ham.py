"""Build the legitimate ("ham") civic profiles and comments from hand-written building blocks.

There is no public set of honest participant profiles, so the Civitas team wrote these
blocks (French and English: residents, associations, students, elected officials, retirees…).
The output files ``ham_profiles.csv`` and ``ham_comments.csv`` are committed; re-running
this script with the same blocks rebuilds them byte for byte (fixed seed).

Every building block belongs to one split: every fourth block of each list is reserved for
the held-out split, so held-out texts are made only of sentences the model never saw in
training — otherwise the evaluation would only measure how well it recognizes our blocks.

Run: ``python -m civitas.spam.data.write_ham`` (writes next to this file).
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261128

# --- profiles -----------------------------------------------------------------------------

FR_WHO = [
    "Habitante du quartier des Chartreux depuis quinze ans",
    "Habitant de la Croix-Rousse",
    "Étudiante en master d'urbanisme",
    "Retraité de l'Éducation nationale",
    "Mère de deux enfants scolarisés à l'école Jean-Jaurès",
    "Conseiller de quartier Nord",
    "Infirmière à l'hôpital, cycliste au quotidien",
    "Artisan boulanger rue de la République",
    "Jeune actif arrivé en ville l'an dernier",
    "Membre du conseil citoyen du quartier Bellevue",
    "Étudiant en première année de droit",
    "Bénévole aux Restos du cœur",
    "Professeure de SVT au collège Victor-Hugo",
    "Agriculteur en bordure de la commune",
    "Locataire en HLM aux Minguettes",
    "Présidente de l'association des parents d'élèves",
    "Chauffeur de bus depuis vingt ans",
    "Lycéenne engagée pour le climat",
    "Ancien commerçant du marché couvert",
    "Habitante du centre-ville, sans voiture",
    "Père au foyer et coureur du dimanche",
    "Doctorante en sociologie",
    "Membre du comité des fêtes",
    "Architecte, habitant du faubourg",
    "Aide-soignante à domicile",
    "Trésorier du club de foot des Jeunes Pousses",
    "Jardinier amateur au jardin partagé des Lilas",
    "Animatrice périscolaire",
    "Retraitée, ancienne postière",
    "Étudiant en BTS, alternant dans une PME locale",
    "Habitant de la rive gauche",
    "Secrétaire de l'association de quartier Vivre ensemble",
    "Élue d'opposition au conseil municipal",
    "Bibliothécaire et lectrice assidue",
    "Nouveau propriétaire d'une maison de ville",
    "Cheminot à la retraite",
    "Sapeur-pompier volontaire",
    "Maraîchère bio, présente au marché le samedi",
    "Ingénieur, parent d'élève",
    "Kinésithérapeute installée dans le quartier de la gare",
    "Étudiant Erasmus venu d'Italie",
    "Conductrice de tram",
    "Militant associatif depuis les années 90",
    "Gérante d'une librairie indépendante",
    "Interne en médecine",
    "Habitant du hameau des Granges",
    "Responsable d'une épicerie solidaire",
    "Coach de basket pour les U13",
]

FR_WHAT = [
    "je m'intéresse surtout aux mobilités douces et à la sécurité des trajets scolaires",
    "j'aimerais que le budget participatif finance plus de projets dans les quartiers périphériques",
    "je participe aux réunions publiques quand je peux",
    "je souhaite plus d'arbres et d'ombre dans les cours d'école",
    "je me bats pour des trottoirs accessibles aux fauteuils et aux poussettes",
    "j'ai proposé l'an dernier un composteur collectif dans ma résidence",
    "je suis attentif aux questions de logement et de loyers",
    "je voudrais des horaires de bibliothèque plus larges le week-end",
    "je défends le petit commerce de proximité",
    "je m'occupe d'un atelier de réparation de vélos",
    "je suis les débats sur le plan local d'urbanisme",
    "j'essaie de comprendre comment est construit le budget de la ville",
    "je milite pour une cantine plus locale et plus végétale",
    "je souhaite que les jeunes aient un vrai lieu pour se retrouver",
    "je m'inquiète du bruit et de la circulation de transit dans notre rue",
    "je donne des cours de français aux personnes nouvellement arrivées",
    "j'aimerais plus de bancs et de toilettes publiques pour les anciens",
    "je suis favorable à une zone à trafic limité au centre",
    "je m'intéresse à la rénovation énergétique des écoles",
    "je veux que les associations sportives aient accès aux gymnases le soir",
    "je trouve important que chacun puisse donner son avis",
    "je propose régulièrement des idées pour les parcs",
    "je suis pour des pistes cyclables séparées de la chaussée",
    "je surveille l'état des chemins ruraux",
    "j'aimerais que la navette du marché passe par le haut du quartier",
    "je coordonne une collecte de jouets chaque hiver",
    "je participe au nettoyage des berges au printemps",
    "je m'intéresse à la démocratie locale et aux conseils de quartier",
    "je souhaite que les décisions soient mieux expliquées aux habitants",
    "je suis curieuse de voir où va l'argent du budget participatif",
    "je voudrais un vrai parking vélo sécurisé à la gare",
    "je m'intéresse aux finances locales et aux impôts",
    "je souhaite que la commune rénove les logements insalubres",
    "je propose des balades commentées du patrimoine",
    "je voudrais que les réunions publiques aient lieu plus tard le soir",
    "je suis pour la gratuité des transports pour les jeunes",
]

FR_END = [
    "",
    "",
    "",
    "Au plaisir d'échanger.",
    "N'hésitez pas à commenter mes propositions.",
    "Toujours partant pour un café-débat.",
    "Pas d'étiquette politique, juste l'envie que ça avance.",
    "Je réponds aux messages le soir.",
    "Les idées de mes voisins m'intéressent autant que les miennes.",
    "Contact via le conseil de quartier.",
    "Mon association : https://www.helloasso.com/associations/velo-en-ville",
    "Plus d'infos sur le conseil citoyen : https://www.ville-exemple.fr/conseils-citoyens",
    "Nos actions : https://jardins-des-lilas.fr",
    "Le blog du quartier : https://bellevue-quartier.fr",
    "Voir aussi https://www.service-public.fr pour les démarches.",
    "Mes cartes des aménagements cyclables sont sur https://www.openstreetmap.org",
    "Site de l'association : https://www.amap-des-coteaux.fr",
    "Je tiens un petit blog sur le patrimoine local : https://patrimoine-du-faubourg.fr",
    "Retrouvez le club sur https://www.jeunes-pousses-foot.fr",
    "Les comptes rendus du conseil de quartier : https://www.ville-exemple.fr/quartiers/nord",
    "Ma page sur https://mastodon.social/@velotaf_quartier",
    "Le collectif : https://www.collectif-ecoles-vertes.org",
    "Nos horaires d'ouverture sont sur https://www.ville-exemple.fr/mediatheque",
    "Pétition en cours : https://petitions.assemblee-nationale.fr",
    "Carte des jardins partagés : https://umap.openstreetmap.fr/fr/map/jardins-partages",
    "Le site de la régie de quartier : https://www.regie-bellevue.fr",
    "Je relaie les infos de https://www.data.gouv.fr sur la qualité de l'air.",
    "Notre repair café : https://www.repaircafe.org/fr/",
    "Présentation de l'atelier vélo : https://www.heureux-cyclage.org",
    "Association des parents : https://www.fcpe.asso.fr",
    "Mon mémoire est en ligne sur https://dumas.ccsd.cnrs.fr",
    "Agenda des réunions : https://www.ville-exemple.fr/agenda",
]

FR_SHORT = [
    "Habitant du quartier.",
    "Étudiante.",
    "Retraité, amoureux de la ville.",
    "Cycliste du quotidien.",
    "Parent d'élève.",
    "Citoyenne curieuse.",
    "Conseiller de quartier.",
    "Jardins partagés et vélo.",
    "Ici pour le budget participatif.",
    "Riverain de la place du marché.",
    "Ancienne institutrice.",
    "Association Vivre ensemble.",
    "Simple habitant qui veut donner son avis.",
    "Membre du CCAS.",
    "Lycéen, délégué de classe.",
    "Habitante de Bellevue, deux chats, un vélo.",
    "Commerçant du centre.",
    "Bénévole, quartier Nord.",
    "Randonneuse et élue associative.",
    "Jeune retraitée.",
]

EN_WHO = [
    "Resident of the old town since 2009",
    "Master's student in urban planning at the university",
    "Retired primary school teacher",
    "Mother of two, both at the local primary school",
    "Nurse at the city hospital",
    "I moved here from Manchester three years ago",
    "Exchange student from Canada",
    "Member of the neighbourhood council",
    "Volunteer at the food bank",
    "Parent governor at Saint-Exupéry school",
    "Software developer working from home",
    "Chair of the residents' association on Park Street",
    "Bus driver and keen gardener",
    "Second-year sociology student",
    "Retired engineer and grandfather",
    "English teacher at the language school",
    "Shop owner on the market square",
    "Researcher at the local hospital",
    "Commuter who cycles across town every day",
    "PhD student working on local democracy",
    "Carer for my elderly father",
    "Newcomer to the neighbourhood",
    "Football coach for the under-12s",
    "Librarian and board-game enthusiast",
    "Erasmus student from Spain living in student housing",
    "Dad of three and weekend cyclist",
    "Retired nurse, born and raised here",
    "Owner of the bakery near the station",
    "Local councillor for the north ward",
    "Firefighter and father",
    "Primary school teacher in the east district",
    "Architecture student interested in public space",
    "Walker, birdwatcher and allotment holder",
    "Member of the parents' association",
    "Accountant who likes to read the budget documents",
    "Youth worker at the community centre",
]

EN_WHAT = [
    "I care about safe cycling routes to school",
    "I would like the participatory budget to reach every neighbourhood",
    "I try to attend the public meetings at the town hall",
    "I want more trees and shade in the playgrounds",
    "I'm interested in how the city budget is decided",
    "I campaign for step-free access at the train station",
    "I'd love to see longer library opening hours",
    "I support the shared gardens project",
    "I worry about traffic and noise on our street",
    "I think young people need a place of their own",
    "I help run a repair café once a month",
    "I follow the debates on the local housing plan",
    "I want the school canteens to use more local food",
    "I'm here to learn how the council works",
    "I think every voice should count in these consultations",
    "I would like more benches along the river",
    "I volunteer for the spring clean-up of the riverbanks",
    "I hope the bus network gets better in the evenings",
    "I care about air quality near the schools",
    "I read every proposal before voting",
    "I'd like to see more pedestrian crossings near the schools",
    "I campaign for a zero-waste market",
    "I think the budget should prioritise school buildings",
    "I help elderly neighbours with their paperwork",
    "I want safer streets for children walking to school",
    "I would love a covered bike park at the station",
    "I'm worried about the closure of local services",
    "I care about affordable housing for young families",
]

EN_END = [
    "",
    "",
    "",
    "Happy to discuss.",
    "Comments on my proposals are welcome.",
    "Not affiliated with any party.",
    "Our association: https://www.helloasso.com/associations/park-street-residents",
    "Council papers: https://www.ville-exemple.fr/conseil-municipal",
    "I write the newsletter of our street: https://parkstreet-news.fr",
    "Still learning French, so I write in English.",
    "Feel free to reach me through the neighbourhood council.",
    "Map of the proposed routes on https://www.openstreetmap.org",
    "Our street's page: https://www.facebook.com/groups/parkstreetresidents",
    "My research profile: https://www.univ-exemple.fr/en/people",
    "Club website: https://www.under12-football.fr",
    "The repair café: https://www.repaircafe.org/en/",
    "Air quality data I use: https://www.data.gouv.fr",
    "Photos of the riverbanks on https://www.flickr.com/groups/riverside",
    "Minutes of our residents' meetings: https://parkstreet-residents.org/minutes",
    "I post about cycling on https://mastodon.social/@parkstreetcyclist",
    "The food bank: https://www.banquealimentaire.org",
    "Map of the bus lines I mention: https://www.ville-exemple.fr/transport",
]

EN_SHORT = [
    "Local resident.",
    "Student.",
    "Cyclist and parent.",
    "Retired, love this town.",
    "Just a neighbour who cares.",
    "Member of the residents' association.",
    "Here for the participatory budget.",
    "Teacher, Park Street.",
    "Newcomer, happy to help.",
    "Gardener, walker, voter.",
    "Expat living in the centre.",
    "Volunteer at the library.",
]

# --- comments -----------------------------------------------------------------------------

FR_TOPIC = [
    "la piste cyclable de l'avenue Jean-Moulin",
    "la rénovation de la cour de l'école Pasteur",
    "le budget alloué aux quartiers",
    "la fermeture du bureau de poste",
    "le nouveau plan de circulation",
    "l'extension du marché du samedi",
    "les horaires de la médiathèque",
    "la végétalisation de la place de la Mairie",
    "le projet de skatepark",
    "la cantine scolaire",
    "l'éclairage public la nuit",
    "la passerelle piétonne sur la rivière",
    "les jardins partagés",
    "le stationnement autour de la gare",
    "la zone 30 devant le collège",
    "le city stade du quartier Nord",
    "la navette gratuite",
    "le réaménagement des berges",
    "les toilettes publiques du parc",
    "le conseil municipal des jeunes",
    "la maison des associations",
    "les bancs du square Voltaire",
    "la collecte des encombrants",
    "la piscine municipale",
    "le budget participatif de cette année",
    "les fontaines à eau",
    "la sécurité des passages piétons",
    "l'aire de jeux du parc des Sports",
]

FR_OPINION = [
    "Je soutiens totalement cette proposition sur {t}.",
    "Bonne idée pour {t}, mais il faudrait préciser le coût.",
    "Je ne suis pas convaincu par ce projet sur {t} : qui va l'entretenir ?",
    "Merci pour cette proposition ! {T} est attendu depuis longtemps.",
    "Pour {t}, pourquoi ne pas commencer par une expérimentation de six mois ?",
    "Attention à ne pas oublier les personnes âgées dans {t}.",
    "J'habite juste à côté et {t} est vraiment un problème aux heures de pointe.",
    "Est-ce que quelqu'un sait si {t} a déjà été discuté en conseil de quartier ?",
    "D'accord sur le principe pour {t}, pas sur le calendrier.",
    "Je vote pour, {t} profitera à tout le monde.",
    "Contre : {t} risque de coûter très cher pour peu d'usagers.",
    "Il faudrait associer les écoles au projet sur {t}.",
    "Très bonne initiative concernant {t}, bravo aux porteurs du projet.",
    "Pour {t}, il existe des aides de l'État, voir https://www.service-public.fr",
    "Le compte rendu de la réunion sur {t} est en ligne : https://www.ville-exemple.fr/comptes-rendus",
    "Je rejoins le commentaire précédent sur {t}.",
    "Les chiffres sur {t} ne correspondent pas à ceux du rapport annuel.",
    "Proposition intéressante, mais {t} devrait passer après la rénovation des écoles.",
    "Pourrait-on avoir une carte du projet sur {t} ?",
    "J'ai signé la pétition sur {t} l'an dernier, content de voir que ça avance.",
    "Pensez aux cyclistes dans {t}, svp.",
    "Je suis commerçant et {t} m'inquiète un peu pour les livraisons.",
    "Avec les enfants, {t} changerait vraiment notre quotidien.",
    "Le règlement du budget participatif limite les projets à 50 000 €, {t} rentre-t-il dedans ?",
    "Les données sur {t} sont sur https://www.data.gouv.fr, c'est utile pour chiffrer.",
    "Moi je trouve que {t} est une priorité absolue.",
    "Le document sur {t} est consultable ici : https://www.ville-exemple.fr/projets, je conseille de le lire.",  # noqa: E501
    "Vu sur https://www.legifrance.gouv.fr : la loi impose déjà une partie de {t}.",
    "Pour {t}, la ville voisine a fait la même chose, voir https://www.ville-voisine.fr/actualites",
    "J'ai posté des photos de {t} sur https://www.flickr.com/photos/quartier-nord",
    "La carte de {t} est ici : https://umap.openstreetmap.fr/fr/map/projet",
    "Un article de presse sur {t} : https://www.ouest-france.fr/actualite-locale",
    "Pour les aides liées à {t}, voir https://www.anah.gouv.fr",
    "Je vous mets le lien de la délibération sur {t} : https://www.ville-exemple.fr/deliberations",
]

FR_EXTRA = [
    "",
    "",
    "",
    "",
    "Merci aux services de la ville pour les réponses.",
    "On en reparle à la prochaine réunion publique ?",
    "Et qu'en pensent les riverains ?",
    "Je peux aider à organiser une consultation des habitants.",
    "C'est mon avis, je peux me tromper.",
    "Il faudrait un vote des habitants du quartier.",
    "Merci de prendre en compte les remarques du conseil de quartier.",
    "Bon courage à l'équipe !",
    "Le sujet revient chaque année, il serait temps d'agir.",
    "Pensez aux personnes handicapées.",
]

EN_TOPIC = [
    "the bike lane on Station Road",
    "the school playground renovation",
    "the participatory budget",
    "the closure of the post office",
    "the new traffic plan",
    "the Saturday market extension",
    "the library opening hours",
    "planting trees on the town hall square",
    "the skate park project",
    "the school canteen menus",
    "street lighting at night",
    "the footbridge over the river",
    "the shared gardens",
    "parking around the station",
    "the 30 km/h zone near the school",
    "the free shuttle bus",
    "the riverside path",
    "public toilets in the park",
    "the youth council",
    "the swimming pool opening hours",
]

EN_OPINION = [
    "I fully support this proposal about {t}.",
    "Good idea for {t}, but how much will it cost?",
    "Not convinced about {t}: who will maintain it?",
    "Thanks for posting this! {T} is long overdue.",
    "For {t}, why not start with a six-month trial?",
    "Please don't forget elderly residents when planning {t}.",
    "I live nearby and {t} is a real problem at rush hour.",
    "Has {t} already been discussed at the neighbourhood council?",
    "I agree with the principle of {t}, not with the timetable.",
    "Voting for it: {t} would help everyone.",
    "Against: {t} would cost a lot for very few users.",
    "Schools should be involved in {t}.",
    "Great initiative on {t}, well done to the team behind it.",
    "The minutes of the meeting on {t} are here: https://www.ville-exemple.fr/minutes",
    "I agree with the previous comment about {t}.",
    "Could we get a map of {t}?",
    "As a parent, {t} would really change our daily life.",
    "The figures on {t} don't match the annual report.",
    "The council report on {t} is at https://www.ville-exemple.fr/reports, worth a read.",
    "Another town did {t} already, see https://www.ville-voisine.fr/en/news",
    "I've mapped {t} on https://www.openstreetmap.org, happy to share.",
    "Official rules relevant to {t}: https://www.service-public.fr/particuliers",
    "Press coverage of {t}: https://www.theguardian.com/cities",
]

EN_EXTRA = [
    "",
    "",
    "",
    "Thanks to the council staff for the answers.",
    "Shall we discuss it at the next public meeting?",
    "What do the neighbours think?",
    "Sorry for writing in English, my French is still poor.",
    "Just my two cents.",
    "This comes up every year, time to act.",
    "Happy to help with a survey of residents.",
]


def _split_blocks(blocks: list[str], heldout: bool) -> list[str]:
    """Every fourth block is reserved for the held-out split."""
    return [block for index, block in enumerate(blocks) if (index % 4 == 3) == heldout]


def _profiles(rng: random.Random, heldout: bool, count: int) -> list[str]:
    parts = {
        name: _split_blocks(blocks, heldout)
        for name, blocks in {
            "fr_who": FR_WHO,
            "fr_what": FR_WHAT,
            "fr_end": FR_END,
            "fr_short": FR_SHORT,
            "en_who": EN_WHO,
            "en_what": EN_WHAT,
            "en_end": EN_END,
            "en_short": EN_SHORT,
        }.items()
    }
    out: set[str] = set()
    while len(out) < count:
        roll = rng.random()
        if roll < 0.12:
            text = rng.choice(parts["fr_short"])
        elif roll < 0.18:
            text = rng.choice(parts["en_short"])
        elif roll < 0.78:
            who, what, end = (
                rng.choice(parts["fr_who"]),
                rng.choice(parts["fr_what"]),
                rng.choice(parts["fr_end"]),
            )
            text = (
                f"{who}, {what}. {end}".strip()
                if rng.random() < 0.7
                else f"{who}. {what[0].upper()}{what[1:]}. {end}".strip()
            )
        else:
            who, what, end = (
                rng.choice(parts["en_who"]),
                rng.choice(parts["en_what"]),
                rng.choice(parts["en_end"]),
            )
            text = f"{who}. {what}. {end}".strip()
        out.add(text)
    return sorted(out)


def _comments(rng: random.Random, heldout: bool, count: int) -> list[str]:
    fr_t, fr_o, fr_x = (_split_blocks(b, heldout) for b in (FR_TOPIC, FR_OPINION, FR_EXTRA))
    en_t, en_o, en_x = (_split_blocks(b, heldout) for b in (EN_TOPIC, EN_OPINION, EN_EXTRA))
    out: set[str] = set()
    while len(out) < count:
        if rng.random() < 0.75:
            topic, opinion, extra = rng.choice(fr_t), rng.choice(fr_o), rng.choice(fr_x)
        else:
            topic, opinion, extra = rng.choice(en_t), rng.choice(en_o), rng.choice(en_x)
        text = opinion.format(t=topic, T=topic[0].upper() + topic[1:])
        out.add(f"{text} {extra}".strip())
    return sorted(out)


def build() -> dict[str, list[tuple[str, str]]]:
    """{'profiles': [(split, text)], 'comments': [(split, text)]}, deterministic."""
    rng = random.Random(SEED)
    result: dict[str, list[tuple[str, str]]] = {"profiles": [], "comments": []}
    for split, heldout, n_profiles, n_comments in (("train", False, 480, 480), ("heldout", True, 180, 180)):
        result["profiles"] += [(split, text) for text in _profiles(rng, heldout, n_profiles)]
        result["comments"] += [(split, text) for text in _comments(rng, heldout, n_comments)]
    return result


def main() -> None:
    built = build()
    for kind, rows in built.items():
        path = HERE / f"ham_{kind}.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write(
                "# Written by the Civitas team (CC0); regenerate with python -m civitas.spam.data.write_ham\n"
            )
            for split, text in rows:
                handle.write(f"ham;{split};{text}\n")
        print(f"{path.name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
