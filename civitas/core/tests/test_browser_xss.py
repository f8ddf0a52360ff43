"""Every XSS payload, stored in every user-writable text field, stays inert in Chromium.

The payloads go in through the services (faster than through forms); Chromium then
visits every public page where the text shows. ``alert``, ``prompt`` and ``confirm``
are trapped before any page script runs, and the DOM is checked for event handlers,
dangerous URLs, scripts and frames: those checks do not depend on the CSP, so the
test proves the sanitizing and escaping, not only the CSP behind them.
"""

from decimal import Decimal

import pytest

from civitas.comments.services import do_add_comment
from civitas.components.manifest import registry
from civitas.components.pages.models import Page
from civitas.components.proposals.services import do_create_draft, do_publish
from civitas.components.services import do_add_component, do_set_component_published
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published
from civitas.spam.models import SpamSettings
from civitas.testing.components import configure_component
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.xss import XSS_PAYLOADS as ALL_PAYLOADS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.security("XSS (Chromium)"),
]

PROPOSAL_COUNT = 6
TRAP = (
    "window.__xss = []; window.alert = (m) => window.__xss.push(String(m)); "
    "window.prompt = window.alert; window.confirm = window.alert;"
)
# Everything that could run script, in the main content or anywhere in the document.
DOM_CHECK = """() => {
    const problems = [];
    const dangerous = /^(javascript|vbscript|data):/i;
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
    for (const element of document.querySelectorAll("main, main *")) {
        for (const attribute of element.attributes) {
            const name = attribute.name.toLowerCase();
            const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "");
            if (name.startsWith("on")) {
                problems.push(`${element.tagName} ${name}=${attribute.value}`);
            } else if (urlAttributes.includes(name) && dangerous.test(value)) {
                problems.push(`${element.tagName} ${name}=${attribute.value}`);
            }
        }
    }
    for (const element of document.querySelectorAll(
        'main script, iframe, object, embed, a[href^="javascript:" i], main base, main meta'
    )) {
        problems.push(`forbidden element ${element.outerHTML.slice(0, 120)}`);
    }
    return problems;
}"""

# RejectNulBytesMiddleware answers 400 to any request carrying a NUL byte, so NULs never
# reach storage (and PostgreSQL text columns refuse them); the payloads are stored without.
XSS_PAYLOADS = [payload.replace("\x00", "") for payload in ALL_PAYLOADS]


def _chunks(items, count):
    return [items[index::count] for index in range(count)]


def _numbered(payloads, label):
    return "\n\n".join(f"{label} {index} : {payload}" for index, payload in enumerate(payloads))


def test_no_xss_payload_runs_in_chromium(live_server, page, security_cases):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    admin = UserFactory(organization=commune, is_organization_admin=True, nickname="maire")
    # Payload-laden texts look like spam and would be held for review; here they must show.
    spam_settings = SpamSettings.for_organization(commune)
    spam_settings.report_threshold = spam_settings.block_threshold = Decimal("1.00")
    spam_settings.save()
    participant = UserFactory(
        organization=commune,
        nickname="paul",
        name="<img src=x onerror=alert('name')>",
        about=_numbered(XSS_PAYLOADS, "À propos"),
        personal_url="javascript:alert('personal_url')",
    )

    # The space: admin-written, but rendered on the home page, /spaces/ and its own page.
    space = do_create_space(
        organization=commune,
        user=admin,
        kind="process",
        title="<script>alert('space title')</script>Budget des Tilleuls",
        subtitle="<svg onload=alert('space subtitle')>",
        description=_numbered(XSS_PAYLOADS, "Description"),
        promoted=True,
    )
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Propositions", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)

    proposals_component = do_add_component(
        space=space, user=admin, manifest=registry.get("proposals"), name="Idées"
    )
    configure_component(proposals_component, admin, creation_enabled=True, supports="enabled")
    do_set_component_published(component=proposals_component, user=admin, published=True)
    proposals_component.refresh_from_db()

    pages_component = do_add_component(
        space=space, user=admin, manifest=registry.get("pages"), name="Règlement"
    )
    Page.objects.update_or_create(
        component=pages_component, defaults={"body": _numbered(XSS_PAYLOADS, "Article")}
    )
    do_set_component_published(component=pages_component, user=admin, published=True)

    # Proposals spread the payloads over their titles, addresses and bodies; each payload
    # is also a comment of its own.
    proposals = []
    for number, chunk in enumerate(_chunks(XSS_PAYLOADS, PROPOSAL_COUNT)):
        proposal = do_create_draft(
            user=participant,
            component=proposals_component,
            title=f"Idée {number} {chunk[0]}"[:150],
            body=_numbered(chunk, "Paragraphe"),
            address=f"{number} rue {chunk[-1]}"[:300],
        )
        do_publish(proposal=proposal, user=participant)
        for index, payload in enumerate(chunk):
            author = participant if index % 2 else admin
            do_add_comment(user=author, resource=proposal, body=f"Commentaire {index} : {payload}")
        proposals.append(proposal)

    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"
    urls = [
        "/",
        "/spaces/",
        f"/spaces/{space.slug}/",
        proposals_component.get_absolute_url(),
        *(proposal.get_absolute_url() for proposal in proposals),
        pages_component.get_absolute_url(),
        f"/profiles/{participant.nickname}/",
    ]

    dialogs = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.add_init_script(TRAP)
    page.on("dialog", on_dialog)
    for url in urls:
        response = page.goto(f"{base}{url}", wait_until="load")
        assert response.status == 200, url
        page.wait_for_timeout(200)
        assert page.locator("main").count() == 1, url
        assert page.evaluate("window.__xss") == [], url
        assert dialogs == [], url
        assert page.evaluate(DOM_CHECK) == [], url
        security_cases.add()

    # The pages did show the stored text (escaped or sanitized), so the check was not vacuous.
    page.goto(f"{base}{proposals[0].get_absolute_url()}")
    assert "Idée 0" in page.inner_text("main") and "Commentaire 0" in page.inner_text("main")
    page.goto(f"{base}/profiles/{participant.nickname}/")
    assert "onerror=alert('name')" in page.inner_text("main")
