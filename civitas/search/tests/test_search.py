import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.comments.services import do_add_comment
from civitas.components.services import do_set_component_published
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_block_user, do_hide, do_report, do_unblock_user
from civitas.search import queries
from civitas.search.indexing import rebuild
from civitas.search.models import IndexEntry
from civitas.search.queries import search
from civitas.spaces.services import do_grant_role, do_set_published
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_proposal

pytestmark = pytest.mark.django_db


def _publish(author, component, title, body="Un texte assez long pour une proposition."):
    return published_proposal(author, component, title, body)


def _titles(user, organization, query, **filters):
    return [
        hit.document.title
        for hit in search(user=user, organization=organization, query=query, **filters).hits
    ]


def test_index_follows_commits_and_finds_stems_and_accents(org_a, participant, public_proposals, indexed):
    with indexed():
        _publish(participant, public_proposals, "Une démarche participative au parc", "Délibération ouverte.")
    assert sorted(_titles(participant, org_a, "participatif")) == [
        "Budget participatif",
        "Une démarche participative au parc",
    ]
    assert _titles(participant, org_a, "deliberation") == ["Une démarche participative au parc"]
    assert _titles(participant, org_a, "DÉLIBÉRATIONS") == ["Une démarche participative au parc"]
    assert _titles(participant, org_a, "piscine") == []


def test_uncommitted_changes_are_not_indexed(participant, public_proposals):
    _publish(participant, public_proposals, "Jamais validée")  # no commit in this test transaction
    assert not IndexEntry.objects.filter(resource_type="proposal").exists()


def test_private_space_only_for_its_members_and_admins(
    org_a, admin_a, participant, private_proposals, public_proposals, indexed
):
    member = UserFactory(organization=org_a)
    with indexed():
        do_grant_role(space=private_proposals.space, user=admin_a, person=member, role="member")
        _publish(member, private_proposals, "Jardin partagé confidentiel")
        _publish(member, public_proposals, "Jardin partagé public")
    from django.contrib.auth.models import AnonymousUser

    assert _titles(AnonymousUser(), org_a, "jardin") == ["Jardin partagé public"]
    assert _titles(participant, org_a, "jardin") == ["Jardin partagé public"]
    assert sorted(_titles(member, org_a, "jardin")) == [
        "Jardin partagé confidentiel",
        "Jardin partagé public",
    ]
    assert len(_titles(admin_a, org_a, "jardin")) == 2
    # The space itself is private too.
    assert _titles(participant, org_a, "quartier") == []
    assert _titles(member, org_a, "quartier") == ["Conseil de quartier"]


def test_unpublished_space_and_component_disappear(org_a, admin_a, participant, public_proposals, indexed):
    with indexed():
        _publish(participant, public_proposals, "Des arbres rue Victor Hugo")
    assert _titles(participant, org_a, "arbres")
    with indexed():
        do_set_component_published(component=public_proposals, user=admin_a, published=False)
    assert _titles(participant, org_a, "arbres") == []
    with indexed():
        do_set_component_published(component=public_proposals, user=admin_a, published=True)
    assert _titles(participant, org_a, "arbres")
    with indexed():
        do_set_published(space=public_proposals.space, user=admin_a, published=False)
    assert _titles(admin_a, org_a, "arbres") == []
    assert _titles(admin_a, org_a, "budget") == []


def test_hidden_content_and_blocked_user_never_appear(org_a, admin_a, participant, public_proposals, indexed):
    spammer = UserFactory(organization=org_a, nickname="spammer", name="Vendeur de montres")
    with indexed():
        hidden = _publish(participant, public_proposals, "Montres pas chères ici")
        comment_author = UserFactory(organization=org_a)
        do_add_comment(user=comment_author, resource=hidden, body="Les montres sont une arnaque")
        spam = _publish(spammer, public_proposals, "Montres de luxe à vendre")
        do_add_comment(user=spammer, resource=spam, body="Achetez mes montres")
    assert len(_titles(participant, org_a, "montres")) >= 4
    with indexed():
        do_report(user=admin_a, resource=hidden, reason="spam")
        do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=hidden.pk), reason="spam")
        do_block_user(admin=admin_a, user=spammer, justification="Publicité")
    assert _titles(participant, org_a, "montres") == []
    assert _titles(participant, org_a, "vendeur") == []  # nor the blocked profile
    assert _titles(admin_a, org_a, "montres") == []
    with indexed():
        do_unblock_user(admin=admin_a, user=spammer)
    assert sorted(_titles(participant, org_a, "montres")) == [
        "Commentaire sur « Montres de luxe à vendre »",  # indexed in the default language, French
        "Montres de luxe à vendre",
        "Vendeur de montres (@spammer)",
    ]


def test_stale_index_is_checked_again_before_display(org_a, participant, public_proposals, indexed):
    with indexed():
        proposal = _publish(participant, public_proposals, "Piste cyclable avenue Jaurès")
    # Hidden behind the index's back (no signal, no task): the live check still drops it.
    type(proposal).objects.filter(pk=proposal.pk).update(hidden_at=proposal.published_at)
    assert IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk).hidden is False
    assert _titles(participant, org_a, "cyclable") == []


def test_other_organization_never_sees_results(org_a, org_b, participant, public_proposals, indexed):
    with indexed():
        _publish(participant, public_proposals, "Fontaine place du marché")
    stranger = UserFactory(organization=org_b)
    assert _titles(stranger, org_b, "fontaine") == []


def test_filters_ranking_and_pagination(org_a, admin_a, participant, public_proposals, indexed):
    other_space_component = None
    from civitas.testing.participation import published_component, published_space

    with indexed():
        other = published_space(org_a, admin_a, "Plan vélo")
        other_space_component = published_component(
            other, admin_a, "proposals", "Idées", creation_enabled=True
        )
        _publish(participant, public_proposals, "Un compost", "Parler du compost et encore du compost.")
        _publish(participant, public_proposals, "Le marché", "Un stand de compost au marché.")
        _publish(participant, other_space_component, "Compost au vélo")
        for number in range(25):
            _publish(participant, public_proposals, f"Banc numéro {number}")
    titles = _titles(participant, org_a, "compost")
    assert set(titles) == {"Un compost", "Le marché", "Compost au vélo"}
    assert titles.index("Le marché") == 2  # a title match ranks first
    assert _titles(participant, org_a, "compost", space_id=other.pk) == ["Compost au vélo"]
    assert _titles(participant, org_a, "compost", resource_type="space") == []
    first = search(user=participant, organization=org_a, query="banc", page=1)
    second = search(user=participant, organization=org_a, query="banc", page=2)
    assert len(first.hits) == 20 and first.has_next and not first.has_previous
    assert len(second.hits) == 5 and not second.has_next
    assert not {hit.entry.pk for hit in first.hits} & {hit.entry.pk for hit in second.hits}


def test_profiles_are_found_once_their_owner_took_part(org_a, participant, public_proposals, indexed):
    with indexed():
        silent = UserFactory(organization=org_a, name="Gérard Silencieux", about="Promotions")
    assert _titles(participant, org_a, "gerard") == []
    with indexed():
        _publish(silent, public_proposals, "Un vrai sujet")
    assert _titles(participant, org_a, "gerard") == ["Gérard Silencieux (@" + silent.nickname + ")"]


def _queries_of_search(user, organization, query) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        hits = search(user=user, organization=organization, query=query).hits
    return len(hits), len(queries.captured_queries)


def test_profile_hits_cost_the_same_queries_however_many(org_a, participant, public_proposals, indexed):
    """Whether each profile's owner took part is read once for the page: one query per hit
    read every comment and proposal of the organization (a second each at national volume)."""
    with indexed():
        first = UserFactory(organization=org_a, name="Odile Martin")
        _publish(first, public_proposals, "Des bancs au parc")
    one = _queries_of_search(participant, org_a, "odile")
    with indexed():
        for number in range(5):
            author = UserFactory(organization=org_a, name=f"Odile Durand {number}")
            _publish(author, public_proposals, f"Idée {number}")
        UserFactory(organization=org_a, name="Odile Silencieuse")  # never took part: not shown
    six = _queries_of_search(participant, org_a, "odile")
    assert (one[0], six[0]) == (1, 6)
    # One query per profile hit before; now none (the first search also fills caches).
    assert six[1] <= one[1]


def test_rebuild_gives_the_same_index(org_a, participant, public_proposals, indexed):
    with indexed():
        proposal = _publish(participant, public_proposals, "Une halle couverte")
        do_add_comment(user=participant, resource=proposal, body="Avec des bancs")

    def snapshot():
        return sorted(
            IndexEntry.objects.filter(hidden=False).values_list(
                "resource_type", "object_id", "title_terms", "body_terms", "space_private"
            )
        )

    before = snapshot()
    assert rebuild(org_a) == IndexEntry.objects.count()
    assert snapshot() == before
    assert _titles(participant, org_a, "halle") == ["Une halle couverte"]


def test_rebuild_writes_entries_in_the_order_of_their_dates_whatever_their_type(
    org_a, participant, public_proposals, indexed
):
    """Search takes the newest ids as the most recent matches: after a rebuild, a comment of
    today must be newer than the profile of someone who joined years ago, where a rebuild
    type after type wrote every profile last."""
    from datetime import UTC, datetime

    from civitas.comments.models import Comment
    from civitas.components.proposals.models import Proposal

    with indexed():
        proposal = _publish(participant, public_proposals, "Une halle couverte")
        comment = do_add_comment(user=participant, resource=proposal, body="Avec des bancs")
    type(participant).objects.filter(pk=participant.pk).update(date_joined=datetime(2021, 1, 1, tzinfo=UTC))
    Proposal.objects.filter(pk=proposal.pk).update(published_at=datetime(2023, 1, 1, tzinfo=UTC))
    Comment.objects.filter(pk=comment.pk).update(created_at=datetime(2025, 1, 1, tzinfo=UTC))

    rebuild(org_a)
    ids = dict(
        IndexEntry.objects.filter(
            object_id__in=[participant.pk, proposal.pk, comment.pk],
            resource_type__in=["profile", "proposal", "comment"],
        ).values_list("resource_type", "id")
    )
    assert ids["profile"] < ids["proposal"] < ids["comment"]
    # And every dated entry of the organization, whatever its type.
    entries = IndexEntry.objects.filter(organization=org_a).order_by("id")
    dates = [entry.date for entry in entries if entry.date is not None]
    assert dates == sorted(dates)


def test_rebuild_reads_profiles_in_batches(org_a, participant, public_proposals, indexed):
    """A full reindex of a national platform's 500,000 profiles and millions of entries cannot
    afford queries per profile or per stale entry: the count of queries stays the same however
    many accounts and entries there are, and
    the profiles of people who took part are found, the silent ones not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with indexed():
        _publish(participant, public_proposals, "Une halle couverte")

    def queries_of_rebuild() -> int:
        with CaptureQueriesContext(connection) as captured:
            rebuild(org_a)
        return len(captured)

    few = queries_of_rebuild()
    UserFactory.create_batch(30, organization=org_a, about="Silencieux")
    assert queries_of_rebuild() == few
    hidden = dict(IndexEntry.objects.filter(resource_type="profile").values_list("object_id", "hidden"))
    assert hidden[participant.pk] is False
    assert sum(hidden.values()) == 30 + 1  # the 30 silent accounts and the admin stay out of search


def test_rebuild_deletes_stale_entries_without_loading_them(org_a, participant, public_proposals, indexed):
    """Deleting through the ORM would load every stale entry and send post_delete for each
    (the page-freshness receiver listens to every model): memory growing with the index."""
    from django.db.models.signals import post_delete

    with indexed():
        _publish(participant, public_proposals, "Une halle couverte")
    deleted = []

    def seen(sender, **kwargs):
        deleted.append(sender)

    post_delete.connect(seen, sender=IndexEntry, weak=False)
    try:
        assert rebuild(org_a) == IndexEntry.objects.count() > 0
    finally:
        post_delete.disconnect(seen, sender=IndexEntry)
    assert deleted == []


def test_search_page(client_a, org_a, participant, public_proposals, indexed):
    with indexed():
        _publish(participant, public_proposals, "Ombrières sur le parking")
    page = client_a.get("/search/", {"q": "ombriere"}).content.decode()
    assert "Ombrières sur le parking" in page and 'role="search"' in page
    odd = client_a.get("/search/", {"q": "ombriere", "type": "nope", "space": "x", "page": "-3"}, follow=True)
    assert odd.status_code == 200 and "Ombrières sur le parking" in odd.content.decode()
    english = client_a.get("/search/", {"q": "zzzz"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ombrières" not in english


def test_consultations_and_votes_are_found_by_their_name(org_a, admin_a, participant, public_space, indexed):
    """ "médiathèque" found nothing while a consultation and a vote carried that name."""
    with indexed():
        published_component(public_space, admin_a, "surveys", "Consultation sur la médiathèque")
        published_component(public_space, admin_a, "majority_judgment", "Vote : horaires de la médiathèque")
        hidden = published_component(public_space, admin_a, "surveys", "Médiathèque (brouillon)")
        do_set_component_published(component=hidden, user=admin_a, published=False)
    result = search(user=participant, organization=org_a, query="mediatheque")
    titles = {hit.document.title for hit in result.hits}
    assert titles == {"Consultation sur la médiathèque", "Vote : horaires de la médiathèque"}


def test_the_page_says_how_many_results_in_a_live_region(
    client_a, org_a, admin_a, participant, public_proposals, private_proposals, indexed
):
    with indexed():
        _publish(participant, public_proposals, "Une fontaine")
        for number in range(3):
            _publish(participant, public_proposals, f"Un arbre numéro {number}")
        _publish(participant, private_proposals, "Un arbre du conseil")  # counted only for its members
        for number in range(22):
            _publish(participant, public_proposals, f"Un banc numéro {number}")

    def count(**query):
        page = client_a.get("/search/", query, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        start = page.index('id="search-count"')
        return page[page.rindex("<p", 0, start) : page.index("</p>", start) + 4]

    assert 'role="status"' in count(q="fontaine") and ">1 résultat</p>" in count(q="fontaine")
    assert ">3 résultats</p>" in count(q="arbre")
    assert "22 résultats · page 2" in count(q="banc", page=2)
    assert "Rien trouvé" in count(q="zzzz")
    assert search(user=admin_a, organization=org_a, query="arbre").total == 4


def test_a_page_past_the_last_leads_to_the_last_at_its_own_address(
    client_a, org_a, participant, public_proposals, indexed, monkeypatch
):
    with indexed():
        for number in range(22):
            _publish(participant, public_proposals, f"Un banc numéro {number}")
    response = client_a.get("/search/", {"q": "banc", "page": "9"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=banc&page=2"
    assert (
        "22 résultats · page 2"
        in client_a.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert client_a.get("/search/", {"q": "banc", "page": "2"}).status_code == 200
    assert client_a.get("/search/", {"q": "zzzz", "page": "3"})["Location"] == "/search/?q=zzzz&page=1"
    for not_a_page in ("0", "-1", "abc", "1e2", "1.5", " ", "02"):
        expected = "/search/?q=banc&page=" + ("2" if not_a_page == "02" else "1")
        assert client_a.get("/search/", {"q": "banc", "page": not_a_page})["Location"] == expected, not_a_page
    # Past the candidates' bound (25 pages of 20 at most): the last page search can show.
    monkeypatch.setattr(queries, "MAX_PAGE", 1)
    assert client_a.get("/search/", {"q": "banc", "page": "2"})["Location"] == "/search/?q=banc&page=1"


def test_a_long_query_is_cut_between_words():
    words = ["participatif"] * 20  # 259 characters
    query = " ".join(words)
    kept = queries.bounded_query(query)
    assert len(kept) <= queries.MAX_QUERY_LENGTH and kept.split() == words[: len(kept.split())]
    assert queries.bounded_query("  ombrière  ") == "ombrière"
    assert queries.bounded_query("a" * 300) == "a" * queries.MAX_QUERY_LENGTH  # one word: cut anyway
    exact = "x" * 199 + " suite"
    assert queries.bounded_query(exact) == "x" * 199
    # The 200th character is a space: every word before it is whole, and kept.
    nineteen = " ".join(["abcdefghi"] * 20)  # 199 characters
    assert queries.bounded_query(nineteen + " encore des mots") == nineteen
    # A whole word then punctuation at the cut is kept; words joined by punctuation are
    # cut between them, not inside one.
    whole = "x" * 189 + " lampadaire, et encore"  # "lampadaire" ends at character 200
    assert queries.bounded_query(whole) == "x" * 189 + " lampadaire"
    joined = ",".join(["lampadaire"] * 30)
    kept = queries.bounded_query(joined)
    assert len(kept) <= queries.MAX_QUERY_LENGTH and all(
        word == "lampadaire" for word in kept.split(",") if word
    )
