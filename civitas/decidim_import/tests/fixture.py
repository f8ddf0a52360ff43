"""A small Decidim open-data export, written the way Decidim writes it.

File names follow ``Decidim::OpenDataExporter::FILE_NAME_PATTERN``
(``<host>-open-data-<entity>.csv``), columns the serializers of decidim 0.27 / 0.28
flattened by ``Decidim::Exporters::CSV`` (``title/fr``, ``participatory_space/id`` …),
separated by ``;``. The process has its own file; the assembly has none and is known
only from the ``participatory_space`` columns of its meetings, as when a Decidim site
does not publish its assemblies' file. Authors' columns hold names, as real exports do:
the importer must never keep them.
"""

import csv
import io
import zipfile

HOST = "participez.ville-exemple.fr"
PROCESS_URL = f"https://{HOST}/processes/budget-participatif-2024"
ASSEMBLY_URL = f"https://{HOST}/assemblies/conseil-des-jeunes"
AUTHOR_NAME = "Jeanne Martin-Personnelle"

PROCESSES = [
    {
        "id": "7",
        "title/fr": "Budget participatif 2024",
        "title/en": "Participatory budget 2024",
        "subtitle/fr": "Vos idées pour la ville",
        "slug": "budget-participatif-2024",
        "hashtag": "bp2024",
        "short_description/fr": "<p>Proposez, votez.</p>",
        "description/fr": "<p>Le budget participatif <strong>2024</strong>.</p><script>alert(1)</script>",
        "announcement/fr": "",
        "start_date": "2024-01-15",
        "end_date": "2024-12-31",
        "remote_hero_image_url": "",
        "remote_banner_image_url": "",
        "developer_group/fr": "",
        "local_area/fr": "",
        "meta_scope/fr": "",
        "participatory_scope/fr": "",
        "participatory_structure/fr": "",
        "target/fr": "",
        "area/id": "",
        "area/name/fr": "",
        "participatory_process_group/id": "",
        "participatory_process_group/title/fr": "",
        "scope/id": "",
        "scope/name/fr": "",
    }
]

PROPOSAL_COLUMNS = [
    "id", "category/id", "category/name/fr", "scope/id", "scope/name/fr", "participatory_space/id",
    "participatory_space/url", "component/id", "title/fr", "body/fr", "state", "reference", "answer/fr",
    "supports", "endorsements/total_count", "endorsements/user_endorsements", "comments", "attachments",
    "followers", "published_at", "url", "meeting_urls", "related_proposals", "is_amend",
    "original_proposal/title", "original_proposal/url",
]  # fmt: skip


def _proposal(pk, title, state, answer="", supports="0", comments="0"):
    return {
        "id": str(pk),
        "category/id": "3",
        "category/name/fr": "Mobilité",
        "participatory_space/id": "7",
        "participatory_space/url": PROCESS_URL,
        "component/id": "21",
        "title/fr": title,
        "body/fr": f"<p>{title} : une idée détaillée pour le quartier.</p><img src=x onerror=alert(1)>",
        "state": state,
        "reference": f"VE-PROP-2024-03-{pk}",
        "answer/fr": answer,
        "supports": supports,
        "endorsements/total_count": "2",
        "endorsements/user_endorsements": AUTHOR_NAME,
        "comments": comments,
        "published_at": "2024-03-02 09:30:00 UTC",
        "url": f"{PROCESS_URL}/f/21/proposals/{pk}",
        "is_amend": "false",
    }


PROPOSALS = [
    _proposal(101, "Pistes cyclables rue Jaurès", "accepted", "<p>Retenue pour 2025.</p>", "42", "3"),
    _proposal(102, "Parking souterrain place Carnot", "rejected", "<p>Trop coûteux.</p>", "5"),
    _proposal(103, "Composteurs partagés au parc", "evaluating", "<p>À l'étude.</p>", "17"),
    _proposal(104, "Fontaine à eau au marché", "withdrawn", "", "1"),
    _proposal(105, "Bancs ombragés avenue Foch", "", "", "8"),
    _proposal(106, "Kiosque à musique rénové", "en_cours_de_realisation", "", "3"),
]

COMMENT_COLUMNS = [
    "id", "created_at", "body", "locale", "author/id", "author/name", "alignment", "depth",
    "user_group/id", "user_group/name/fr", "commentable_id", "commentable_type", "root_commentable_url",
]  # fmt: skip


def _comment(pk, body, depth, commentable_id, commentable_type, alignment="0"):
    return {
        "id": str(pk),
        "created_at": f"2024-03-0{3 + depth} 10:00:00 UTC",
        "body": body,
        "locale": "fr",
        "author/id": "555",
        "author/name": AUTHOR_NAME,
        "alignment": alignment,
        "depth": str(depth),
        "commentable_id": str(commentable_id),
        "commentable_type": commentable_type,
        "root_commentable_url": f"{PROCESS_URL}/f/21/proposals/101",
    }


PROPOSAL_TYPE, COMMENT_TYPE = "Decidim::Proposals::Proposal", "Decidim::Comments::Comment"
COMMENTS = [
    _comment(901, "Excellente idée pour les écoliers.", 0, 101, PROPOSAL_TYPE, "1"),
    _comment(902, "D'accord, surtout le matin.", 1, 901, COMMENT_TYPE),
    _comment(903, "Et le soir aussi.", 2, 902, COMMENT_TYPE),
    _comment(904, "Une réponse très profonde.", 3, 903, COMMENT_TYPE, "-1"),
    _comment(905, "Réponse à un commentaire disparu.", 1, 999, COMMENT_TYPE),
    _comment(906, "Attention au coût.", 0, 102, PROPOSAL_TYPE, "-1"),
]

MEETINGS = [
    {
        "id": "301",
        "category/id": "",
        "category/name/fr": "",
        "participatory_space/id": "3",
        "participatory_space/url": ASSEMBLY_URL,
        "component/id": "31",
        "title/fr": "Réunion publique du conseil des jeunes",
        "description/fr": "<p>Ordre du jour : les skateparks.</p>",
        "start_time": "2024-04-10 16:00:00",
        "end_time": "2024-04-10 18:00:00",
        "attendees": "35",
        "contributions": "4",
        "organizations": "MJC du centre",
        "address": "12 rue de la Mairie, 75000 Ville-Exemple",
        "location/fr": "Salle du conseil, 1er étage",
        "reference": "VE-MEET-2024-04-301",
        "comments": "0",
        "url": f"{ASSEMBLY_URL}/f/31/meetings/301",
        "published": "true",
        "type_of_meeting": "in_person",
        "online_meeting_url": "",
        "closed_at": "2024-04-10 18:30:00",
    },
    {
        "id": "302",
        "participatory_space/id": "3",
        "participatory_space/url": ASSEMBLY_URL,
        "component/id": "31",
        "title/fr": "Atelier en ligne",
        "description/fr": "<p>En visioconférence.</p>",
        "start_time": "2024-05-02 18:00:00",
        "end_time": "2024-05-02 19:30:00",
        "published": "true",
        "type_of_meeting": "online",
        "online_meeting_url": "https://visio.example.org/atelier",
        "url": f"{ASSEMBLY_URL}/f/31/meetings/302",
    },
    {
        "id": "303",
        "participatory_space/id": "3",
        "participatory_space/url": ASSEMBLY_URL,
        "component/id": "31",
        "title/fr": "Séance sur un format inconnu",
        "start_time": "2024-06-02 18:00:00",
        "end_time": "2024-06-02 19:00:00",
        "published": "true",
        "type_of_meeting": "telepathie",
        "url": f"{ASSEMBLY_URL}/f/31/meetings/303",
    },
]

PROJECTS = [
    {
        "id": "401",
        "participatory_space/id": "7",
        "participatory_space/url": PROCESS_URL,
        "component/id": "41",
        "title/fr": "Aire de jeux du square Monge",
        "description/fr": "<p>Nouveaux jeux pour les 3-10 ans.</p>",
        "budget/id": "11",
        "budget_amount": "85000",
        "confirmed_votes": "320",
        "comments": "0",
        "created_at": "2024-02-01 08:00:00 UTC",
        "url": f"{PROCESS_URL}/f/41/budgets/11/projects/401",
        "address": "Square Monge",
        "selected": "true",
    },
    {
        "id": "402",
        "participatory_space/id": "7",
        "participatory_space/url": PROCESS_URL,
        "component/id": "41",
        "title/fr": "Potager partagé",
        "description/fr": "<p>Des bacs et un récupérateur d'eau.</p>",
        "budget/id": "11",
        "budget_amount": "15000.0",
        "confirmed_votes": "120",
        "created_at": "2024-02-01 08:00:00 UTC",
        "url": f"{PROCESS_URL}/f/41/budgets/11/projects/402",
        "selected": "false",
    },
]

RESULTS = [  # decidim 0.27's ResultSerializer has no participatory_space column: the URL names it
    {
        "id": "501",
        "parent/id": "",
        "title/fr": "Rénover les aires de jeux",
        "description/fr": "<p>Programme pluriannuel.</p>",
        "start_date": "2024-06-01",
        "end_date": "2025-06-30",
        "status/id": "2",
        "status/key": "in_progress",
        "status/name/fr": "En cours",
        "progress": "40.0",
        "created_at": "2024-06-01 08:00:00 UTC",
        "url": f"{PROCESS_URL}/f/51/results/501",
        "component/id": "51",
    },
    {
        "id": "502",
        "parent/id": "501",
        "title/fr": "Square Monge",
        "description/fr": "<p>Travaux commencés.</p>",
        "status/key": "started",
        "status/name/fr": "Travaux commencés",
        "progress": "55",
        "url": f"{PROCESS_URL}/f/51/results/502",
        "component/id": "51",
    },
    {
        "id": "503",
        "parent/id": "777",
        "title/fr": "Sous-résultat orphelin",
        "progress": "10",
        "url": f"{PROCESS_URL}/f/51/results/503",
        "component/id": "51",
    },
]

DEBATES = [  # decidim 0.28's DebateSerializer: author columns, and conclusions once closed
    {
        "id": "601",
        "author/id": "555",
        "author/name": AUTHOR_NAME,
        "author/url": f"https://{HOST}/profiles/jeanne",
        "title/fr": "Faut-il piétonniser le centre ?",
        "description/fr": "<p>Le pour et le contre.</p>",
        "instructions/fr": "<p>Restez courtois.</p>",
        "start_time": "",
        "end_time": "",
        "participatory_space/id": "3",
        "participatory_space/url": ASSEMBLY_URL,
        "component/id": "61",
        "reference": "VE-DEBA-2024-05-601",
        "comments": "12",
        "followers": "4",
        "url": f"{ASSEMBLY_URL}/f/61/debates/601",
        "last_comment_at": "2024-05-20 08:00:00 UTC",
        "comments_enabled": "true",
        "conclusions/fr": "<p>Piétonnisation le samedi.</p>",
        "closed_at": "2024-06-01 12:00:00 UTC",
    }
]

SURVEYS = [{"id": "1", "question/fr": "Q1"}]


def _csv(rows, columns=None, delimiter=";") -> bytes:
    columns = list(columns or dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in columns})
    return out.getvalue().encode()


def build_export(path, *, host=HOST, proposals=None) -> str:
    files = {
        "participatory_processes": _csv(PROCESSES),
        "proposals": _csv(proposals or PROPOSALS, PROPOSAL_COLUMNS),
        "proposal_comments": _csv(COMMENTS, COMMENT_COLUMNS),
        "meetings": _csv(MEETINGS),
        "projects": _csv(PROJECTS),
        "results": _csv(RESULTS),
        "debates": _csv(DEBATES),
        "surveys": _csv(SURVEYS),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entity, content in files.items():
            archive.writestr(f"{host}-open-data-{entity}.csv", content)
        archive.writestr("README.md", "# Données ouvertes\n")
        archive.writestr("LICENSE.md", "ODbL\n")
    return str(path)
