"""Publishing versions of a text, reading and comparing them, editing articles with their
history, comments per phase and role, moderation, tenancy, exports."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.comments.models import Comment
from civitas.comments.services import CommentNotAllowed, do_add_comment
from civitas.components.participatory_texts import services
from civitas.components.participatory_texts.models import Article, TextVersion
from civitas.components.participatory_texts.opendata import article_rows
from civitas.components.participatory_texts.tests.conftest import admin_base, import_markdown
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.spaces.services import do_grant_role
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_space
from civitas.versions.services import versions_of

pytestmark = pytest.mark.django_db


def _articles(component):
    return list(Article.objects.current().filter(component=component).in_reading_order())


def _visitor(org):
    return Client(HTTP_HOST=org.host)


def test_nothing_is_public_before_the_first_version(org_a, admin_a, text_component):
    import_markdown(text_component, admin_a)
    article = _articles(text_component)[0]
    visitor = _visitor(org_a)
    page = visitor.get(text_component.get_absolute_url()).content.decode()
    assert "pas encore publié" in page and "Le présent règlement" not in page
    assert visitor.get(article.get_absolute_url()).status_code == 404
    assert visitor.get(f"/history/participatory_texts.article/{article.pk}/").status_code == 404
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=UserFactory(organization=org_a), resource=article, body="Trop tôt")


def test_publishing_asks_first_then_freezes_the_whole_text(
    client_a, org_a, admin_a, text_component, on_commit
):
    import_markdown(text_component, admin_a)
    client_a.force_login(admin_a)
    url = admin_base(text_component) + "publish/"
    asked = client_a.post(url, {"note": "Projet"})
    assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
    assert not TextVersion.objects.exists()
    with on_commit():
        client_a.post(url, {"note": "Projet", "confirm_act": "1"})
    version = TextVersion.objects.get()
    assert (version.number, version.note) == (1, "Projet")
    assert [entry.kind for entry in version.entries.order_by("position")] == [
        "section", "article", "article", "article", "section", "article",
    ]  # fmt: skip
    assert ActionLogEntry.objects.filter(action="participatory_text.publish").count() == 1
    page = _visitor(org_a).get(text_component.get_absolute_url()).content.decode()
    assert 'id="article-2"' in page and "Article 2" in page and "Objet" in page
    assert 'href="#article-4"' in page  # the table of contents
    assert "Titre II — Le vote" in page and "4 articles" in page


def test_an_edit_stays_private_until_version_two_then_compares(
    client_a, org_a, admin_a, published_text, on_commit
):
    article = _articles(published_text)[1]
    client_a.force_login(admin_a)
    response = client_a.post(
        admin_base(published_text) + f"articles/{article.pk}/",
        {
            "title": "Objet du règlement",
            "body": "<p>Le présent règlement organise le budget des quartiers.</p>",
            "section": article.section_id,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert [v.number for v in versions_of(article)] == [1, 2]
    visitor = _visitor(org_a)
    assert "budget des quartiers" not in visitor.get(published_text.get_absolute_url()).content.decode()
    # The article's own history is the working text: the admins' alone, never a leak of it.
    assert visitor.get(f"/history/participatory_texts.article/{article.pk}/").status_code == 404

    # A new article, and one taken out, before version 2.
    client_a.post(
        admin_base(published_text) + "articles/new/",
        {"title": "Recours", "body": "<p>Un recours est possible.</p>", "section": ""},
    )
    gone = _articles(published_text)[-1]
    client_a.post(admin_base(published_text) + f"articles/{gone.pk}/delete/", {"confirm_delete": "1"})
    gone.refresh_from_db()
    assert gone.removed_at is not None  # published: taken out, not deleted
    with on_commit():
        client_a.post(
            admin_base(published_text) + "publish/",
            {"note": "Version 2 — après la concertation", "confirm_act": "1"},
        )
    page = visitor.get(published_text.get_absolute_url()).content.decode()
    assert "budget des quartiers" in page and "Un recours est possible." in page
    assert "Les habitants de plus de seize ans" not in page

    compare = visitor.get(published_text.get_absolute_url() + "versions/compare/?from=1&to=2")
    text = compare.content.decode()
    assert compare.context["counts"] == {"added": 1, "removed": 1, "changed": 1, "same": 2}
    assert "<ins>" in text and "quartiers" in text and "<del>" in text
    old_page = visitor.get(published_text.get_absolute_url() + "versions/1/").content.decode()
    assert "Les habitants de plus de seize ans" in old_page and "version 1" in old_page.lower()
    # The article taken out keeps its page, as the last version that held it.
    gone_page = visitor.get(gone.get_absolute_url()).content.decode()
    assert "seize ans" in gone_page and "version 2" in gone_page
    markdown = visitor.get(published_text.get_absolute_url() + "text.md")
    assert markdown["Content-Type"].startswith("text/markdown")
    body = markdown.content.decode()
    assert "###### Article 1" in body and "budget des quartiers" in body and "Version 2" in body


def test_apply_change_is_what_amendments_call(admin_a, published_text):
    article = _articles(published_text)[0]
    version = article.apply_change(
        {"body": "<p>Nouveau texte.</p>"}, author=admin_a, note="Amendement de Léa accepté"
    )
    assert version.number == 2 and version.note == "Amendement de Léa accepté"
    assert version.fields["body"] == "<p>Nouveau texte.</p>"
    assert article.apply_change({"body": "<p>Nouveau texte.</p>"}, author=admin_a) is None  # nothing changed
    with pytest.raises(ValueError):
        article.apply_change({"published_at": None}, author=admin_a)


def test_comments_follow_the_phase_and_the_role(org_a, admin_a, published_text):
    article = _articles(published_text)[0]
    resident = UserFactory(organization=org_a)
    do_add_comment(user=resident, resource=article, body="<p>D'accord.</p>")
    article.refresh_from_db()
    assert article.comment_count == 1
    page = _visitor(org_a).get(published_text.get_absolute_url()).content.decode()
    assert "1 commentaire" in page
    configure_component(published_text, admin_a, comments_enabled=False)
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=resident, resource=Article.objects.get(pk=article.pk), body="<p>Encore.</p>")
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(resident)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Ajouter un commentaire" not in page and "D'accord." in page


def test_comments_in_a_private_space_only_for_members(org_a, admin_a, on_commit):
    from civitas.testing.participation import published_component

    with on_commit():
        space = published_space(org_a, admin_a, "Conseil restreint", visibility="private")
        component = published_component(
            space, admin_a, "participatory_texts", "Charte", comments_enabled=True
        )
        import_markdown(component, admin_a)
        services.do_publish_version(component=component, user=admin_a, note="")
    article = _articles(component)[0]
    outsider, member = UserFactory(organization=org_a), UserFactory(organization=org_a)
    do_grant_role(space=space, user=admin_a, person=member, role="member")
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=outsider, resource=article, body="<p>Je passe.</p>")
    do_add_comment(user=member, resource=article, body="<p>Membre.</p>")
    assert _visitor(org_a).get(article.get_absolute_url()).status_code == 404


def test_a_hidden_comment_leaves_the_article_and_its_count(org_a, admin_a, published_text):
    article = _articles(published_text)[0]
    resident, reporter = UserFactory(organization=org_a), UserFactory(organization=org_a)
    comment = do_add_comment(user=resident, resource=article, body="<p>Message injurieux</p>")
    do_report(user=reporter, resource=comment, reason="offensive")
    do_hide(
        moderator=admin_a,
        moderation=Moderation.objects.get(
            object_id=comment.pk, content_type=ContentType.objects.get_for_model(Comment)
        ),
        reason="offensive",
    )
    article.refresh_from_db()
    assert article.comment_count == 0
    assert "Message injurieux" not in _visitor(org_a).get(article.get_absolute_url()).content.decode()


def test_admin_pages_by_role_and_organization(org_a, org_b, admin_a, published_text, client_b):
    article = _articles(published_text)[0]
    pages = ["", "import/", f"articles/{article.pk}/", "articles/new/", f"sections/{article.section_id}/"]
    participant = UserFactory(organization=org_a)
    other_space_admin = UserFactory(organization=org_a)
    other_space = published_space(org_a, admin_a, "Autre espace")
    do_grant_role(space=other_space, user=admin_a, person=other_space_admin, role="admin")
    space_admin = UserFactory(organization=org_a)
    do_grant_role(space=published_text.space, user=admin_a, person=space_admin, role="admin")
    for person, expected in ((participant, 403), (other_space_admin, 403), (space_admin, 200)):
        client = Client(HTTP_HOST=org_a.host)
        client.force_login(person)
        for page in pages:
            status = client.get(admin_base(published_text) + page).status_code
            assert status in ((200, 302) if expected == 200 else (expected,)), (person, page, status)
        before = Article.objects.get(pk=article.pk).body
        client.post(
            admin_base(published_text) + f"articles/{article.pk}/", {"title": "X", "body": "<p>Pirate</p>"}
        )
        assert (Article.objects.get(pk=article.pk).body == before) == (expected != 200)
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    assert client_b.get(admin_base(published_text)).status_code == 404
    # Organization B's host does not serve A's text, nor A's article's history.
    assert client_b.get(published_text.get_absolute_url()).status_code == 404
    assert client_b.get(article.get_absolute_url()).status_code == 404
    assert client_b.get(f"/history/participatory_texts.article/{article.pk}/").status_code == 404


def test_an_article_of_another_text_is_not_reached_through_this_one(
    org_a, admin_a, published_text, on_commit, client_a
):
    from civitas.testing.participation import published_component

    with on_commit():
        other = published_component(published_text.space, admin_a, "participatory_texts", "Autre texte")
    import_markdown(other, admin_a)
    foreign = _articles(other)[0]
    client_a.force_login(admin_a)
    assert client_a.get(admin_base(published_text) + f"articles/{foreign.pk}/").status_code == 404
    assert client_a.get(f"{published_text.get_absolute_url()}articles/{foreign.pk}/").status_code == 404


def test_reordering_and_deleting_an_unpublished_article(client_a, admin_a, text_component):
    import_markdown(text_component, admin_a)
    first, second = [
        a for a in _articles(text_component) if a.section_id == _articles(text_component)[0].section_id
    ][:2]
    client_a.force_login(admin_a)
    client_a.post(admin_base(text_component) + f"articles/{second.pk}/move/", {"direction": "up"})
    assert [a.pk for a in _articles(text_component)][:2] == [second.pk, first.pk]
    asked = client_a.post(admin_base(text_component) + f"articles/{first.pk}/delete/")
    assert asked.status_code == 200 and Article.objects.filter(pk=first.pk).exists()
    client_a.post(admin_base(text_component) + f"articles/{first.pk}/delete/", {"confirm_delete": "1"})
    assert not Article.objects.filter(pk=first.pk).exists()  # never published: deleted for good


def test_open_data_holds_the_latest_version_of_public_texts(org_a, admin_a, published_text):
    rows = list(article_rows(org_a))
    assert [row["number"] for row in rows] == [1, 2, 3, 4]
    assert rows[1]["title"] == "Objet" and rows[1]["section"] == "Titre I — Dispositions générales"
    assert rows[0]["text_version"] == 1 and "budget participatif" in rows[1]["body"]


def test_search_finds_published_articles(org_a, admin_a, published_text):
    from django.contrib.auth.models import AnonymousUser

    from civitas.search.queries import search

    hits = search(user=AnonymousUser(), organization=org_a, query="seize ans").hits
    assert [hit.document.title for hit in hits] == ["Règlement · Article 4 — Qui vote"]
