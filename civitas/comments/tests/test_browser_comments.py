"""A participant comments, replies and votes through Chromium; the pages stay accessible."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civitas.comments import services
from civitas.comments.models import Comment, CommentVote
from civitas.comments.tests.helpers import add, add_many, list_url, make_page
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe du quartier"


@pytest.fixture
def browser_page(browser):
    """Playwright's page (this directory's ``page`` fixture is the commented Page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_comment_reply_and_vote(live_server, browser_page):
    page = browser_page
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    alice = UserFactory(organization=commune, email="alice@a.test", name="Alice Durand", password=PASSWORD)
    bob = UserFactory(organization=commune, nickname="bob", name="Bob Martin")
    resource = make_page(commune, mayor)
    theirs = add(bob, resource, body="Il faut plus d’arbres rue des Tilleuls.", alignment="for")
    add(alice, resource, body="D’accord.", parent=theirs)
    services.do_vote(user=alice, comment=add(mayor, resource, body="Étudions-le."), value=-1)
    later = add_many(resource, 20, authors=[bob, mayor], start=timezone.now(), step=timedelta(milliseconds=1))

    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("alice@a.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(base + list_url(resource))
    assert page.locator(f"#comment-{theirs.pk} .comment-alignment").inner_text().strip().endswith("Pour")
    assert_accessible(page)

    page.get_by_label("Votre commentaire").fill("Et des bancs, @bob ?")
    page.get_by_role("radio", name="Contre").check()
    page.get_by_role("button", name="Publier mon commentaire").click()
    page.wait_for_url(re.compile(r".*#comment-\d+$"))
    mine = Comment.objects.get(author=alice, depth=0)
    assert mine.alignment == "against" and "bancs" in mine.body

    # Back to the resource's page (which, for this test resource, does not include the thread).
    page.goto(base + list_url(resource))
    article = page.locator(f"#comment-{theirs.pk}")
    article.get_by_role("button", name=re.compile("Voter pour")).click()
    # htmx swaps the comment in place; the pressed button keeps the focus (same id).
    page.locator(f"#vote-up-{theirs.pk}[aria-pressed='true']").wait_for()
    assert CommentVote.objects.get(comment=theirs, user=alice).value == 1
    expect(page.locator(f"#vote-up-{theirs.pk}")).to_be_focused()
    assert page.url.endswith(list_url(resource))

    page.locator(f"#comment-{theirs.pk} summary", has_text="Répondre").click()
    page.get_by_label("Votre réponse").first.fill("Une autre réponse.")
    expect(page.get_by_label("Votre réponse").first).to_have_value("Une autre réponse.")
    assert_accessible(page)
    page.locator(f"#comment-{theirs.pk}").get_by_role("button", name="Publier ma réponse").click()
    # The reply lands under the comment, in place (htmx); reloaded, the thread opens at it.
    page.locator(f"#replies-{theirs.pk}").get_by_text("Une autre réponse.").wait_for()
    assert page.url.endswith(list_url(resource))
    page.goto(base + list_url(resource) + f"?comments_open={theirs.pk}")
    expect(page.get_by_text("Une autre réponse.")).to_be_visible()
    assert_accessible(page)

    page.goto(base + list_url(resource))
    page.get_by_role("link", name=re.compile("Afficher 2 réponses")).click()  # in place, focused
    page.locator(f"#replies-{theirs.pk}").get_by_text("D’accord.").wait_for()
    assert page.locator(f"#replies-toggle-{theirs.pk}").count() == 0
    page.wait_for_function("() => (document.activeElement.id || '').startsWith('comment-')")
    page.goto(base + f"/comments/{theirs.pk}/replies/")  # the same link without JavaScript: a page
    expect(page.get_by_text("D’accord.")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
    screenshot(page, "comments-replies-mobile")
    page.goto(base + list_url(resource))
    screenshot(page, "comments-mobile")

    # The next comments, in place; the keyboard goes on from the first of them.
    expect(page.get_by_text("Avis numéro 18.")).to_have_count(0)
    page.get_by_role("link", name="Afficher plus de commentaires").click()
    expect(page.locator(f"#comment-{later[18].pk}")).to_be_focused()
    expect(page.locator("#live-status")).to_have_text("3 commentaires de plus affichés.")
    expect(page.get_by_role("link", name="Afficher plus de commentaires")).to_have_count(0)
    assert page.url.endswith(list_url(resource))
    assert_accessible(page)


def test_a_link_leaves_through_the_warning_page_and_a_mention_opens_a_profile(live_server, browser_page):
    page = browser_page
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    bob = UserFactory(organization=commune, nickname="bob", name="Bob Martin")
    resource = make_page(commune, mayor)
    comment = add(
        mayor,
        resource,
        body='<p>Voir <a href="https://devis.exemple.org/bancs?lot=2">le devis</a>, @bob.</p>',
    )

    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    for width, height, label in ((1280, 900, "desktop"), (390, 844, "mobile")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(base + list_url(resource))
        body = page.locator(f"#comment-{comment.pk} .comment-body")
        link = body.get_by_role("link", name="le devis")
        assert link.get_attribute("href") == "/link/?url=https%3A%2F%2Fdevis.exemple.org%2Fbancs%3Flot%3D2"
        assert link.get_attribute("rel") == "nofollow noopener noreferrer ugc"
        assert_accessible(page)
        screenshot(page, f"comments-link-and-mention-{label}")

        link.click()
        page.wait_for_url(re.compile(r".*/link/\?url="))
        assert page.get_by_role("heading", level=1).inner_text().startswith("Vous quittez")
        assert page.locator("mark").inner_text() == "exemple.org"
        assert_accessible(page)
        screenshot(page, f"outbound-link-{label}")

    page.goto(base + list_url(resource))
    page.locator(f"#comment-{comment.pk} .comment-body").get_by_role("link", name="@bob").click()
    page.wait_for_url(f"{base}/profiles/bob/")
    assert bob.name in page.content()
