"""In Chromium: the list, a petition, signing with a receipt, and the admin pages, at 1366 and 390 px."""

import datetime

import pytest

from civitas.authorizations import identity
from civitas.components.petitions import paper, services
from civitas.components.petitions.models import Signature
from civitas.components.petitions.signature_list import do_seal_list
from civitas.identity.models import IdentityProvider
from civitas.testing.browser import assert_accessible, assert_receipt_code_readable, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HANDLER = "test-identity"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/**")


def _both_widths(page, name):
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    screenshot(page, f"{name}-1366")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def _assert_signing_first_on_a_phone(page):
    """The count and the signing box come before the receipt check on a phone; beside the
    text on a desktop, with the check below the text."""
    boxes = {
        name: page.locator(selector).bounding_box()
        for name, selector in (("count", "#petition-count"), ("sign", ".petition-sign"), ("check", "#verify"))
    }
    assert boxes["count"]["y"] < boxes["sign"]["y"] < boxes["check"]["y"], boxes
    page.set_viewport_size(DESKTOP)
    count, check = page.locator("#petition-count").bounding_box(), page.locator("#verify").bounding_box()
    text = page.locator(".petition-layout > article").bounding_box()
    assert count["x"] > check["x"] + check["width"], (count, check)
    # The check follows the text closely, whatever the height of the signing box beside.
    assert check["y"] - (text["y"] + text["height"]) < 80, (text, check)


# Every state pill: padded only when its edge shows, else the padding reads as a stray gap.
STRAY_GAPS = """() => [...document.querySelectorAll('.state-tag')].filter(tag => {
  const style = getComputedStyle(tag);
  const padded = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight) > 0;
  const edge = style.backgroundColor !== 'rgba(0, 0, 0, 0)' || parseFloat(style.borderLeftWidth) > 0;
  return padded && !edge;
}).map(tag => tag.textContent)"""

# The seal's groups that a line break cuts (a group on two lines has two boxes) or that run
# off the screen.
CUT_GROUPS = """() => {
  const text = document.querySelector('code.seal').firstChild, cut = [];
  const width = document.documentElement.clientWidth;
  for (const match of text.textContent.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(text, match.index); range.setEnd(text, match.index + match[0].length);
    const boxes = range.getClientRects();
    if (boxes.length !== 1 || boxes[0].right > width) cut.push(match[0]);
  }
  return cut;
}"""


def test_a_resident_signs_and_the_admins_review_and_key_paper(live_server, page, monkeypatch):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    clerk = UserFactory(organization=commune, is_organization_admin=True, email="greffe@a.test")
    author = UserFactory(organization=commune, nickname="camille")
    lea = UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    people = {}
    monkeypatch.setitem(identity._SOURCES, HANDLER, lambda user: people.get(user.pk))
    space = published_space(commune, mayor, "Droit de pétition")
    component = published_component(
        space,
        mayor,
        "petitions",
        "Pétitions citoyennes",
        settings={"residents": 48_211, "answer_threshold_percent": 5, "debate_threshold": 5000},
        creation_enabled=True,
        signing_enabled=True,
    )
    deadline = datetime.date.today() + datetime.timedelta(days=40)

    def petition(title, body, *, publish=True):
        made = services.do_draft(user=author, component=component, title=title, body=body)
        services.do_submit(petition=made, user=author)
        if publish:
            made = services.do_publish(petition=made, user=mayor, deadline=deadline, identity_handler=HANDLER)
        return made

    cycling = petition(
        "Une piste cyclable sécurisée avenue Jean-Jaurès",
        "<p>Chaque jour, plus de 600 élèves vont à vélo au lycée Jean-Jaurès par l'avenue, sans piste. "
        'Nous demandons une piste séparée de la chaussée (voir <a href="https://www.example.org/etude">'
        "l'étude de trafic</a>).</p><p>Nous demandons aussi un double-sens cyclable rue Victor-Hugo.</p>",
    )
    for index in range(12):
        voter = UserFactory(organization=commune)
        people[voter.pk] = identity.VerifiedIdentity(HANDLER, f"s-{index}", datetime.date(1970 + index, 1, 1))
        services.do_sign(petition=cycling, user=voter)
    petition(
        "Des bancs et de l'ombre place de la République", "<p>" + "Des arbres et des bancs. " * 8 + "</p>"
    )
    declined = petition(
        "Supprimer la taxe foncière", "<p>" + "Moins d'impôts pour tous. " * 8 + "</p>", publish=False
    )
    services.do_decline(petition=declined, user=mayor, reason="<p>L'impôt relève de la loi de finances.</p>")
    review = petition(
        "Ouvrir la piscine le dimanche", "<p>" + "Le dimanche, en été. " * 10 + "</p>", publish=False
    )
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}{component.get_absolute_url()}")
    page.get_by_text("Une piste cyclable sécurisée avenue Jean-Jaurès").wait_for()
    _both_widths(page, "petitions-list")
    page.get_by_label("État").select_option("declined")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Supprimer la taxe foncière").wait_for()
    assert page.get_by_text("Une piste cyclable sécurisée").count() == 0

    people[lea.pk] = identity.VerifiedIdentity(HANDLER, "lea-sub", datetime.date(1988, 4, 2), "69123")
    _log_in(page, base, "lea@a.test")
    page.goto(base + cycling.get_absolute_url())
    page.get_by_role("button", name="Signer la pétition").wait_for()
    _both_widths(page, "petition-page")
    page.get_by_label("Je signe cette pétition").check()
    page.get_by_role("button", name="Signer la pétition").click()
    page.get_by_text("Merci : votre signature est comptée").wait_for()
    code = assert_receipt_code_readable(page)
    assert services.verify_receipt(cycling, code) and Signature.objects.filter(petition=cycling).count() == 13
    _both_widths(page, "petition-signed")
    do_seal_list(cycling)
    page.goto(base + cycling.get_absolute_url())
    page.get_by_role("link", name="Retirer ma signature").wait_for()
    page.set_viewport_size(PHONE)
    _assert_signing_first_on_a_phone(page)
    for width in (DESKTOP, PHONE):
        page.set_viewport_size(width)
        assert page.evaluate(STRAY_GAPS) == [] and page.evaluate(CUT_GROUPS) == []
    _both_widths(page, "petition-sealed")
    page.get_by_label("Code du reçu").fill(code.lower())
    page.get_by_role("button", name="Ma signature est-elle comptée ?").click()
    page.get_by_text("Oui : la signature de ce reçu est comptée.").wait_for()
    assert code.lower() not in page.url

    # Withdrawing asks first; "no" keeps the signature.
    page.get_by_role("link", name="Retirer ma signature").click()
    page.get_by_role("heading", name="Retirer votre signature ?").wait_for()
    _both_widths(page, "petition-withdraw-confirm")
    page.get_by_role("link", name="Non, garder ma signature").click()
    page.get_by_role("link", name="Retirer ma signature").wait_for()
    assert services.verify_receipt(cycling, code)

    # A petition requiring FranceConnect: from it to the identity page, whose banner and
    # button fit a phone's first screen.
    IdentityProvider.objects.create(
        organization=commune,
        kind="franceconnect",
        name="FranceConnect",
        discovery_url="https://fc.example/.well-known/openid-configuration",
        client_id="civitas",
        client_secret="secret",
        scopes="openid",
    )
    benches = petition(
        "Des bancs le long du canal", "<p>" + "Pour s'asseoir au bord de l'eau. " * 6 + "</p>", publish=False
    )
    services.do_publish(petition=benches, user=mayor, deadline=deadline, identity_handler="franceconnect")
    page.goto(base + benches.get_absolute_url())
    page.get_by_role("link", name="Vérifier mon identité avec FranceConnect").click()
    page.get_by_text("Pour signer la pétition « Des bancs le long du canal », liez votre compte").wait_for()
    page.set_viewport_size(PHONE)
    link = page.locator(".identity-purpose").get_by_role("button", name="Lier FranceConnect")
    assert link.bounding_box()["y"] + link.bounding_box()["height"] < PHONE["height"]
    _both_widths(page, "petition-verify-identity")
    # Without the provider, the petition says signing is not available yet.
    IdentityProvider.objects.update(enabled=False)
    page.goto(base + benches.get_absolute_url())
    page.get_by_text("La signature n’est pas encore possible").wait_for()
    _both_widths(page, "petition-no-provider")

    batch = paper.do_create_batch(petition=cycling, user=mayor, label="Feuilles de la mairie annexe")
    line = {
        "line": "1-1",
        "family_name": "Dupont",
        "given_names": "Marie",
        "birth_date": "1961-03-02",
        "birth_place": "69123",
    }
    paper.do_key_line(batch=batch, user=mayor, data=line)
    paper.do_key_line(batch=batch, user=mayor, data={**line, "line": "1-2", "family_name": "Martin"})
    paper.do_key_line(batch=batch, user=clerk, data=line)
    page.context.clear_cookies()
    _log_in(page, base, "greffe@a.test")
    admin_base = f"{base}/admin/spaces/{space.pk}/components/{component.pk}/petitions/"
    page.goto(admin_base)
    page.get_by_role("link", name="Publier ou refuser").wait_for()
    _both_widths(page, "petitions-admin")
    page.get_by_role("link", name="Publier ou refuser").click()
    page.get_by_role("button", name="Publier la pétition").wait_for()
    _both_widths(page, "petition-review")
    # Filled in with the component's default, in the format a date input reads.
    assert page.get_by_label("Dernier jour de signature").input_value() == (
        services.default_deadline(component).isoformat()
    )
    page.get_by_label("Dernier jour de signature").fill(deadline.isoformat())
    page.get_by_role("button", name="Publier la pétition").click()
    page.get_by_text("La pétition est publiée").wait_for()
    review.refresh_from_db()
    assert review.status == "published" and review.answer_threshold == 2411

    page.goto(f"{admin_base}{cycling.pk}/paper/{batch.pk}/")
    page.get_by_label("Feuille et ligne").fill("1-2")
    page.get_by_label("Nom de famille").fill("Martin")
    page.get_by_label("Prénoms").fill("Marie")
    page.get_by_label("Date de naissance").fill("1961-03-02")
    page.get_by_label("Lieu de naissance (code INSEE de la commune)").fill("69123")
    page.get_by_role("button", name="Enregistrer la ligne").click()
    page.get_by_text("Ligne 1-2 saisie.").wait_for()
    _both_widths(page, "petition-paper-batch")
    page.get_by_role("button", name="Compter ces signatures").click()
    page.get_by_text("2 signatures papier comptées").wait_for()
    assert cycling.counts() == {"online": 13, "paper": 2, "total": 15}
