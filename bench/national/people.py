"""The organization and its 500,000 accounts (scaled): French names, verified residents, spam.

Accounts are written with COPY, as ``accounts.services.do_sign_up`` would have left them
(terms accepted, locale, e-mail confirmed for most); the verified ones hold a census
authorization and the used census entry beside it, as ``do_verify_with_census`` leaves
them. A few profiles read like the spam the daily scan looks for (the shipped corpus's
spam profiles, with a personal site), and a handful of those accounts are blocked by the
admin through the real ``do_block_user`` once the contributions exist (``blocks``), so
that their contributions are hidden and the counters recounted by the real code.
"""

from __future__ import annotations

import datetime
import unicodedata

from django.contrib.auth.hashers import make_password

from national.bulk import copy_rows, reserve_ids

ACCOUNTS = 500_000
VERIFIED_SHARE = 0.3
CONFIRMED_SHARE = 0.96
CIVIC_PROFILE_SHARE = 0.12
SPAM_PROFILE_SHARE = 0.004
BLOCKED = 40
DISTRICTS = ("Nord", "Sud", "Est", "Ouest", "Centre")

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Louise",
    "Alice",
    "Lina",
    "Sarah",
    "Zoé",
    "Juliette",
    "Clara",
    "Anaïs",
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Valérie",
    "Sandrine",
    "Christine",
    "Martine",
    "Françoise",
    "Monique",
    "Nicole",
    "Élodie",
    "Aurélie",
    "Céline",
    "Julie",
    "Émilie",
    "Hélène",
    "Agnès",
    "Brigitte",
    "Josiane",
    "Odile",
    "Yasmine",
    "Fatima",
    "Aïcha",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Léo",
    "Nathan",
    "Thomas",
    "Maxime",
    "Antoine",
    "Nicolas",
    "Julien",
    "Philippe",
    "Pierre",
    "Jean",
    "Michel",
    "Alain",
    "Patrick",
    "Bernard",
    "Christophe",
    "Stéphane",
    "Laurent",
    "Frédéric",
    "Olivier",
    "Éric",
    "Didier",
    "Thierry",
    "Pascal",
    "Sébastien",
    "Jérôme",
    "Mathieu",
    "Romain",
    "Benoît",
    "François",
    "Mehdi",
    "Karim",
    "Yanis",
    "Mamadou",
    "Théo",
    "Noé",
    "Baptiste",
    "Clément",
    "Denis",
    "Gérard",
    "Yves",
    "René",
    "Marcel",
    "André",
    "Joël",
    "Hervé",
]
LAST_NAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Marie",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
    "Leclercq",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Rodriguez",
    "Hubert",
    "Louis",
    "Charles",
    "Guillot",
    "Rivière",
    "Guillaume",
    "Adam",
    "Rey",
    "Moulin",
    "Gonzalez",
    "Berger",
    "Lecomte",
    "Ménard",
    "Fleury",
    "Deschamps",
    "Carpentier",
    "Julien",
    "Bénard",
    "Paris",
    "Maillard",
    "Marchal",
    "Aubry",
    "Vasseur",
    "Renault",
    "Jacquet",
    "Collet",
    "Prévost",
    "Poirier",
    "Charpentier",
    "Royer",
    "Huet",
    "Baron",
    "Dupuy",
    "Pons",
    "Paul",
    "Lainé",
    "Carré",
    "Breton",
    "Rémy",
    "Schneider",
    "Perrot",
    "Guyot",
    "Barre",
    "Marty",
    "Cousin",
    "Benoit",
    "Diallo",
    "Haddad",
    "Traoré",
    "Benali",
    "Kaya",
    "Ferreira",
) + ("Da Silva", "Le Gall", "Le Roux", "Le Goff", "De Oliveira")
MAIL_DOMAINS = ("laposte.net", "orange.fr", "free.fr", "gmail.com", "sfr.fr", "outlook.fr", "yahoo.fr")
CIVIC_STREETS = ("rue Victor-Hugo", "avenue Jean-Jaurès", "place du Marché", "quai des Pêcheurs")


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if char.isascii() and (char.isalnum() or char in "-_"))


def nickname_for(rng, first: str, last: str, index: int) -> str:
    """A nickname people would choose, unique through the number at its end (nothing
    else in it is a digit, so two accounts can never end up with the same one)."""
    first_ascii, last_ascii = _ascii(first), _ascii(last.replace(" ", ""))
    style = rng.randrange(6)
    if style == 0:
        base = f"{first_ascii.lower()}_{last_ascii.lower()}"
    elif style == 1:
        base = f"{first_ascii[0].lower()}{last_ascii.lower()}"
    elif style == 2:
        base = f"{first_ascii}-{last_ascii[0]}"
    elif style == 3:
        base = first_ascii.lower()
    elif style == 4:
        base = rng.choice(("citoyen", "citoyenne", "habitant", "riverain", "voisine", "lecteur")) + "_"
    else:
        base = f"{first_ascii}{last_ascii}"
    return f"{base[: 30 - len(str(index))]}{index}"


def organization(context) -> None:
    from civitas.organizations.services import do_create_organization
    from national.generate import HOST, PASSWORD

    context.organization, context.admin = do_create_organization(
        name="Grand Débat National",
        host=HOST,
        admin_email="admin@grand-debat.localhost",
        admin_name="Mission du Grand Débat",
        admin_password=PASSWORD,
    )
    context.count("organizations", 1)


def _profile_texts():
    from civitas.spam.model import starter_data

    data = starter_data()
    civic = [item.sample.text for item in data if item.source == "civic_profiles"]
    spam = [item.sample.text for item in data if item.source == "decidim_profiles"]
    return civic, spam


def accounts(context) -> None:
    from django.contrib.auth import get_user_model

    from civitas.authorizations.handlers import census_digest
    from civitas.authorizations.models import Authorization, CensusEntry
    from national.generate import PASSWORD

    User = get_user_model()
    rng = context.rng("accounts")
    count = context.scaled(ACCOUNTS)
    first_id = reserve_ids(User, count)
    context.accounts = range(first_id, first_id + count)
    password = make_password(PASSWORD)
    civic, spam = _profile_texts()
    organization_id = context.organization.pk
    now = context.now
    verified, spammers = [], []
    names = context.plans["account names"] = []  # by offset: notifications name the author

    def rows():
        for offset in range(count):
            pk = first_id + offset
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            names.append(f"{first} {last}")
            nickname = nickname_for(rng, first, last, offset + 1)
            joined = now - datetime.timedelta(seconds=rng.randrange(1, 75 * 86400))
            roll = rng.random()
            about, url = "", ""
            if roll < SPAM_PROFILE_SHARE:
                about, url = f"{rng.choice(spam)} ({offset})", f"https://promo-{offset}.example.com"
                spammers.append(pk)
            elif roll < SPAM_PROFILE_SHARE + CIVIC_PROFILE_SHARE:
                about = f"{rng.choice(civic)} ({rng.choice(CIVIC_STREETS)})"
            confirmed = joined + datetime.timedelta(minutes=rng.randrange(2, 600))
            if rng.random() < VERIFIED_SHARE:
                verified.append(pk)
            yield (
                pk,
                organization_id,
                f"{nickname.lower()}@{rng.choice(MAIL_DOMAINS)}",
                names[-1],
                nickname,
                rng.choice(("fr", "fr", "fr", "fr", "en")),
                "",
                about,
                url,
                True,
                False,
                False,
                False,
                False,
                confirmed if rng.random() < CONFIRMED_SHARE else None,
                "",
                joined,
                joined,
                None,
                password,
                None,
            )

    fields = [
        "id",
        "organization",
        "email",
        "name",
        "nickname",
        "locale",
        "avatar",
        "about",
        "personal_url",
        "is_active",
        "is_organization_admin",
        "is_user_manager",
        "is_system_admin",
        "is_superuser",
        "email_confirmed_at",
        "pending_email",
        "accepted_terms_at",
        "date_joined",
        "deleted_at",
        "password",
        "last_login",
    ]
    context.count("accounts", copy_rows(User, fields, rows()))
    context.spam_accounts = spammers
    context.verified = verified

    # Verified residents: the census entry used and the authorization, paired by nothing.
    granted = (now - datetime.timedelta(days=3)).date()
    district_of = {pk: rng.choice(DISTRICTS) for pk in verified}
    entries = (
        (
            organization_id,
            census_digest(organization_id, f"INSEE-{context.seed}-{pk}", datetime.date(1950 + pk % 55, 1, 1)),
            True,
            True,
            district_of[pk],
        )
        for pk in verified
    )
    context.count(
        "census entries",
        copy_rows(CensusEntry, ["organization", "digest", "listed", "used", "district"], entries),
    )
    authorizations = ((pk, organization_id, "census", granted, district_of[pk]) for pk in verified)
    context.count(
        "authorizations",
        copy_rows(
            Authorization, ["user", "organization", "handler", "granted_on", "district"], authorizations
        ),
    )


def blocks(context) -> None:
    """The admin blocks some spam accounts, through the real service (hides, recounts, re-indexes)."""
    from django.contrib.auth import get_user_model

    from civitas.moderation.services import do_block_user

    rng = context.rng("blocks")
    chosen = sorted(
        rng.sample(context.spam_accounts, min(len(context.spam_accounts), context.scaled(BLOCKED)))
    )
    for user in get_user_model().objects.filter(pk__in=chosen).order_by("pk"):
        do_block_user(
            admin=context.admin,
            user=user,
            justification="Profil publicitaire : liens vers un site commercial.",
        )
    context.blocked = chosen
    context.count("account blocks", len(chosen))
