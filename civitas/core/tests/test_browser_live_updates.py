"""In Chromium, at a desktop's width and a phone's: a participant supports proposals, replies
to comments and reviews a majority-judgment ballot without leaving the page where htmx
updates it in place; the keyboard alone does it, focus lands where the news is, screen
readers are told, axe finds nothing, and the Content-Security-Policy is never violated."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civitas.comments import services as comments
from civitas.comments.models import Comment
from civitas.components.majority_judgment import services as majority_judgment
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.components.proposals import services as proposals
from civitas.components.proposals.models import Support
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/shots/live")


def _shot(page, name):
    screenshot(page, name)
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_supports_replies_and_the_ballot_review_in_place(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, nickname="maire", name="Anne Maire")
    lea = UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    space = published_space(commune, mayor, "Convention citoyenne")
    ideas = published_component(
        space, mayor, "proposals", "Idées", settings={"support_limit": 2}, supports="enabled"
    )
    ideas_list = []
    for title in ("Des bancs au square", "Une piste cyclable"):
        draft = proposals.do_create_draft(user=mayor, component=ideas, title=title, body="<p>Pour tous.</p>")
        proposals.do_publish(proposal=draft, user=mayor)
        ideas_list.append(draft)
    for proposal in ideas_list:
        comments.do_add_comment(user=mayor, resource=proposal, body="Qu’en pensez-vous ?")
    vote = published_component(space, mayor, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=vote)
    for position, title in enumerate(["Piste cyclable", "Jardin partagé"]):
        Candidate.objects.create(election=election, title=title, position=position)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    for index, (width, height) in enumerate(((1366, 900), (390, 844))):
        page.set_viewport_size({"width": width, "height": height})
        proposal = ideas_list[index]
        page.goto(base + proposal.get_absolute_url())
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("window.stayedOnThePage = true")
        left = page.locator(f"#supports-left-{ideas.pk}")
        assert f"{2 - index} soutien" in left.inner_text()

        # Support with the keyboard: the button, the count and the supports left change in place.
        page.locator(f"#support-button-{proposal.pk}").focus()
        page.keyboard.press("Enter")
        page.locator(f"#support-button-{proposal.pk}[aria-pressed='true']").wait_for()
        assert page.locator(f"#support-{proposal.pk} .support-count strong").inner_text() == "1"
        assert f"{1 - index} soutien" in left.inner_text()
        assert "Merci pour votre soutien." in page.locator("#live-status").inner_text()
        assert _active_id(page) == f"support-button-{proposal.pk}"  # focus stays on the button
        assert Support.objects.filter(proposal=proposal, user=lea).exists()

        # Reply under the comment: the form opens there, the reply lands there, focused.
        parent = Comment.objects.get(object_id=proposal.pk, parent__isnull=True)
        page.locator(f"#comment-{parent.pk} .comment-reply summary").focus()
        page.keyboard.press("Enter")
        page.locator(f"#reply-{parent.pk}-body").focus()
        page.keyboard.type(f"Oui, et à l’ombre ({width} px).")
        page.locator(f"#reply-form-{parent.pk} button[type='submit']").focus()
        page.keyboard.press("Enter")
        reply = page.locator(f"#replies-{parent.pk} .comment-body", has_text=f"à l’ombre ({width} px)")
        reply.wait_for()
        reply_id = f"comment-{Comment.objects.get(parent=parent).pk}"
        page.wait_for_function(f"() => document.activeElement.id === '{reply_id}'")
        assert page.locator(f"#comment-{parent.pk} .comment-reply").get_attribute("open") is None
        assert page.locator(f"#reply-{parent.pk}-body").input_value() == ""
        assert "Votre réponse est publiée." in page.locator("#live-status").inner_text()
        # An empty reply comes back as its form, with the error, the field focused.
        page.locator(f"#comment-{parent.pk} .comment-reply summary").click()
        page.locator(f"#reply-{parent.pk}-body").evaluate("field => field.removeAttribute('required')")
        page.locator(f"#reply-form-{parent.pk} button[type='submit']").click()
        page.locator(f"#reply-form-{parent.pk} .alert-error").wait_for()
        page.wait_for_function(f"() => document.activeElement.id === 'reply-{parent.pk}-body'")
        assert Comment.objects.filter(parent=parent).count() == 1
        assert page.evaluate("window.stayedOnThePage") is True  # all of it without leaving the page
        assert_accessible(page)
        _shot(page, f"live-proposal-{width}")

        # The ballot is reviewed before it is cast; the review stores nothing.
        page.goto(base + vote.get_absolute_url())
        page.get_by_role("group", name="Piste cyclable").get_by_label("Excellent").check()
        page.get_by_role("group", name="Jardin partagé").get_by_label("Bien", exact=True).focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Vérifier mon bulletin").click()
        page.get_by_role("heading", name="Vérifiez votre bulletin avant de le déposer").wait_for()
        review = page.locator(".vote-review").inner_text()
        assert "Piste cyclable" in review and "Excellent" in review and "Bien" in review
        assert not election.envelopes().exists() and not majority_judgment.has_voted(election, lea)
        assert_accessible(page)
        _shot(page, f"live-ballot-review-{width}")
        if index == 0:
            page.get_by_role("button", name="Modifier mes mentions").click()
            expect(page.get_by_role("group", name="Piste cyclable").get_by_label("Excellent")).to_be_checked()
        else:
            page.get_by_role("button", name="Voter").focus()
            page.keyboard.press("Enter")
            page.locator("#receipt-code").wait_for()
            assert majority_judgment.has_voted(election, lea)

    # Chromium's notice that the test server is plain HTTP (Cross-Origin-Opener-Policy) and the
    # expected 422 of the empty reply aside, nothing went wrong: no CSP violation, no htmx
    # error, no script error.
    problems = [
        text for text in problems if "Cross-Origin-Opener-Policy" not in text and "status of 422" not in text
    ]
    assert not [text for text in problems if "Content Security Policy" in text or "Refused" in text], problems
    assert not problems, problems
