"""Safe user content: sanitizing, link rewriting, the outbound-link page, CSP, robots.txt."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import SafeString

from civitas.core import activity
from civitas.core import views as core_views
from civitas.core.links import (
    MAX_URL_LENGTH,
    OUTBOUND_LINK_PATH,
    outbound_url,
    parse_web_address,
    registered_domain,
    sanitize_user_html,
)
from civitas.core.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from civitas.organizations.models import Organization
from civitas.testing.factories import UserFactory
from civitas.testing.xss import XSS_PAYLOADS

REL_TOKENS = {"nofollow", "noopener", "noreferrer", "ugc"}
DANGEROUS = re.compile(r"<script|\bon\w+\s*=|javascript:|data:|vbscript:", re.IGNORECASE)


def _organization(**fields):
    """An unsaved organization: link rewriting needs no database."""
    fields = {"name": "Commune A", "host": "commune-a.test", **fields}
    fields.setdefault("external_domain_allowlist", ["service-public.fr"])
    return Organization(**fields)


class _Markup(HTMLParser):
    """Collects the tags of an HTML fragment and their (decoded) attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.start_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.start_tags.append(html.unescape(self.get_starttag_text()))

    handle_startendtag = handle_starttag


def _markup(fragment: str) -> _Markup:
    parser = _Markup()
    parser.feed(fragment)
    parser.close()
    return parser


def _links(fragment: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in _markup(fragment).tags if tag == "a"]


def _render_user_html(value, organization) -> str:
    template = Template("{% load civitas_safety %}{{ value|user_html:organization }}")
    return template.render(Context({"value": value, "organization": organization}))


def _assert_harmless(output: str, payload: str) -> None:
    markup = _markup(output)
    for tag, attrs in markup.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href":
                assert value.startswith(("/", "?", "#", "http://", "https://", "mailto:")), value
    # The markup itself (tags and attribute values, decoded) carries no code.
    assert not DANGEROUS.search(" ".join(markup.start_tags)), markup.start_tags
    # Markdown-looking payloads (no "<") stay as inert, escaped text, which may quote
    # "javascript:"; everything else must not even leave such words behind.
    if "<" in payload:
        assert not DANGEROUS.search(html.unescape(output)), output


# --- Sanitizing ----------------------------------------------------------------------


def test_payload_list_is_big_enough():
    assert len(XSS_PAYLOADS) >= 40
    assert all(isinstance(payload, str) and payload for payload in XSS_PAYLOADS)


@pytest.mark.security("XSS (sanitizer)")
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitize_user_html_neutralises(payload):
    _assert_harmless(sanitize_user_html(payload, _organization()), payload)


@pytest.mark.security("XSS (sanitizer)")
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_user_html_filter_neutralises(payload):
    _assert_harmless(_render_user_html(payload, _organization()), payload)


@pytest.mark.security("XSS (sanitizer)")
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_user_html_filter_neutralises_payload_stored_unsanitized(payload):
    """A row written around the sanitizer (a shell, a migration) is cleaned at render."""
    stored = f"<p>{payload}</p>"
    _assert_harmless(_render_user_html(stored, _organization()), payload)


def test_user_html_filter_output_is_safe_and_keeps_formatting():
    rendered = _render_user_html("<p><strong>Vive</strong> le <em>vélo</em></p>", _organization())
    assert rendered == "<p><strong>Vive</strong> le <em>vélo</em></p>"
    template = Template(
        "{% load civitas_safety %}{% autoescape on %}{{ value|user_html:org }}{% endautoescape %}"
    )
    assert "<strong>" in template.render(Context({"value": "<p><strong>x</strong></p>", "org": None}))


def test_user_html_filter_handles_empty_values():
    assert _render_user_html(None, _organization()) == ""
    assert _render_user_html("", _organization()) == ""


def test_template_filter_returns_safe_string():
    from civitas.core.templatetags.civitas_safety import user_html

    assert isinstance(user_html("<p>x</p>", _organization()), SafeString)


# --- Link rewriting ------------------------------------------------------------------


def _only_link(fragment: str) -> dict[str, str | None]:
    links = _links(fragment)
    assert len(links) == 1, fragment
    return links[0]


def test_external_link_goes_through_the_warning_page():
    output = sanitize_user_html(
        '<p><a href="https://evil.example/a?b=1&amp;c=2#d">x</a></p>', _organization()
    )
    link = _only_link(output)
    assert link["href"] == OUTBOUND_LINK_PATH + "?url=" + quote("https://evil.example/a?b=1&c=2#d", safe="")
    assert set(link["rel"].split()) == REL_TOKENS
    assert "target" not in link


@pytest.mark.parametrize(
    "href",
    [
        "https://service-public.fr/particuliers",
        "https://www.service-public.fr/",
        "http://deep.sub.service-public.fr/x?y=1",
        "HTTPS://WWW.Service-Public.FR/",
    ],
)
def test_allow_listed_domain_and_subdomains_are_direct(href):
    link = _only_link(sanitize_user_html(f'<p><a href="{href}">x</a></p>', _organization()))
    assert link["href"].lower() == href.lower()
    assert set(link["rel"].split()) == REL_TOKENS


@pytest.mark.parametrize(
    "href",
    [
        "https://evilservice-public.fr/",
        "https://service-public.fr.evil.example/",
        "https://service-public.fr@evil.example/",
        "https://service-public.fr%2eevil.example/",
    ],
)
def test_lookalikes_of_allow_listed_domains_are_not_trusted(href):
    link = _only_link(sanitize_user_html(f'<p><a href="{href}">x</a></p>', _organization()))
    assert not link.get("href") or link["href"].startswith(OUTBOUND_LINK_PATH + "?url=")


@pytest.mark.parametrize(
    "href", ["/spaces/budget/", "spaces/", "?page=2", "#comments", "https://commune-a.test/spaces/"]
)
def test_internal_links_are_unchanged(href):
    link = _only_link(sanitize_user_html(f'<p><a href="{href}">x</a></p>', _organization()))
    assert link["href"] == href


@pytest.mark.parametrize(
    ("href", "destination"),
    [
        ("//evil.example/x", "https://evil.example/x"),
        ("/\\evil.example/x", "https://evil.example/x"),
        ("\\\\evil.example/x", "https://evil.example/x"),
        ("/\t/evil.example/x", "https://evil.example/x"),
        ("https://www.commune-a.test@evil.example/", "https://evil.example/"),
    ],
)
def test_links_that_leave_in_disguise_go_through_the_warning_page(href, destination):
    link = _only_link(sanitize_user_html(f'<p><a href="{href}">x</a></p>', _organization()))
    assert link["href"] == OUTBOUND_LINK_PATH + "?url=" + quote(destination, safe="")


def test_every_link_has_rel_and_none_has_target():
    source = (
        '<p><a href="https://evil.example/" target="_blank" rel="opener">a</a>'
        '<a href="https://www.service-public.fr/" target="_top">b</a>'
        '<a href="/local">c</a><a href="mailto:mairie@commune-a.test">d</a></p>'
    )
    links = _links(sanitize_user_html(source, _organization()))
    assert len(links) == 4
    for link in links:
        assert set(link["rel"].split()) == REL_TOKENS
        assert "target" not in link
    assert links[3]["href"] == "mailto:mairie@commune-a.test"


def test_links_without_organization_all_go_through_the_warning_page():
    link = _only_link(sanitize_user_html('<a href="https://commune-a.test/">x</a>', None))
    assert link["href"].startswith(OUTBOUND_LINK_PATH)


def test_sanitized_text_follows_the_organization_it_is_shown_for():
    """Sanitizing is cached per process: the same text for another host, or after the
    allow-list changed, must not get the links rewritten for the first one."""
    source = '<p><a href="https://www.service-public.fr/x">x</a> <a href="https://commune-a.test/y">y</a></p>'
    commune_a = _organization()
    first = _links(sanitize_user_html(source, commune_a))
    assert [link["href"] for link in first] == ["https://www.service-public.fr/x", "https://commune-a.test/y"]

    commune_b = _organization(host="commune-b.test", external_domain_allowlist=[])
    hrefs = [link["href"] for link in _links(sanitize_user_html(source, commune_b))]
    assert all(href.startswith(OUTBOUND_LINK_PATH) for href in hrefs), hrefs

    commune_a.external_domain_allowlist = []  # the admin removed the domain from the list
    hrefs = [link["href"] for link in _links(sanitize_user_html(source, commune_a))]
    assert hrefs[0].startswith(OUTBOUND_LINK_PATH) and hrefs[1] == "https://commune-a.test/y"
    without = [link["href"] for link in _links(sanitize_user_html(source, None))]
    assert all(href.startswith(OUTBOUND_LINK_PATH) for href in without), without


def test_plain_text_with_ampersands_survives_rewriting():
    assert sanitize_user_html("Tom & Jerry <3", _organization()) == "<p>Tom &amp; Jerry &lt;3</p>"


def test_outbound_filter():
    org = _organization()
    template = Template("{% load civitas_safety %}{{ url|outbound:org }}")
    render = lambda url: template.render(Context({"url": url, "org": org}))  # noqa: E731
    assert render("https://www.service-public.fr/x") == "https://www.service-public.fr/x"
    assert render("https://commune-a.test/") == "https://commune-a.test/"
    assert render("https://evil.example/?a=1&b=2") == html.escape(
        OUTBOUND_LINK_PATH + "?url=" + quote("https://evil.example/?a=1&b=2", safe="")
    )
    for refused in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x"]:
        assert render(refused) == ""
    for refused in ["/relative/", "//evil.example/", "ftp://files.example/", "mailto:a@b.example", "", None]:
        assert render(refused) == ""


def test_outbound_url_refuses_too_long_addresses():
    url = "https://evil.example/" + "a" * MAX_URL_LENGTH
    assert outbound_url(url, _organization()) == ""


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.example.com", "example.com"),
        ("example.com", "example.com"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("www.service-public.gouv.fr", "service-public.gouv.fr"),
        ("localhost", "localhost"),
        ("192.0.2.1", "192.0.2.1"),
    ],
)
def test_registered_domain(host, domain):
    assert registered_domain(host) == domain


def test_parse_web_address_shows_what_the_browser_reads():
    address = parse_web_address("https://bücher.example/a b")
    assert address.host == "xn--bcher-kva.example"
    assert address.url == "https://xn--bcher-kva.example/a%20b"
    assert address.before_domain + address.registered_domain + address.after_domain == address.url
    assert parse_web_address("https://0x7f.1/") is None  # a browser reads 127.0.0.1
    assert parse_web_address("https://example.com:99999/") is None


# --- The outbound-link page ----------------------------------------------------------


def test_route_matches_the_path_links_are_rewritten_to():
    assert reverse("core:outbound_link") == OUTBOUND_LINK_PATH


@pytest.fixture
def english(client_a):
    client_a.cookies["django_language"] = "en"
    return client_a


def _get_link_page(client, url, **extra):
    return client.get(OUTBOUND_LINK_PATH, {"url": url}, **extra)


@pytest.mark.django_db
def test_warning_page_shows_destination_with_domain_highlighted(english):
    response = _get_link_page(english, "https://www.example.com/path?q=1&r=2")
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    assert "You are leaving Commune A" in page
    assert "<h1" in page and "<h2" in page
    assert "https://www.<mark>example.com</mark>/path?q=1&amp;r=2" in page
    assert "<strong>example.com</strong>" in page
    continue_links = [a for a in _links(page) if a.get("href") == "https://www.example.com/path?q=1&r=2"]
    assert len(continue_links) == 1
    assert set(continue_links[0]["rel"].split()) == REL_TOKENS
    assert "target" not in continue_links[0]
    assert "Continue to www.example.com" in page
    assert "Back to Commune A" in page


@pytest.mark.django_db
def test_warning_page_never_redirects_by_itself(english):
    response = _get_link_page(english, "https://evil.example/")
    assert response.status_code == 200
    assert "Location" not in response
    page = response.content.decode().lower()
    assert "http-equiv" not in page and "<script" not in page and "refresh" not in response


@pytest.mark.django_db
def test_warning_page_reveals_the_real_host_of_a_disguised_address(english):
    response = _get_link_page(english, "https://www.commune-a.test@evil.example/login")
    page = response.content.decode()
    assert "https://<mark>evil.example</mark>/login" in page
    assert "Continue to evil.example" in page
    assert "commune-a.test@" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("referer", "back"),
    [
        ("http://commune-a.test/spaces/budget/", "http://commune-a.test/spaces/budget/"),
        ("https://evil.example/phishing", "/"),
        ("http://commune-b.test/", "/"),
        (None, "/"),
    ],
)
def test_back_link_returns_to_our_own_pages_only(english, referer, back):
    headers = {"HTTP_REFERER": referer} if referer else {}
    page = _get_link_page(english, "https://elsewhere.example/", **headers).content.decode()
    assert f'<a class="button button-secondary" href="{back}">Back to Commune A</a>' in page


@pytest.mark.django_db
def test_address_of_maximum_length_is_accepted(english):
    url = "https://evil.example/" + "a" * (MAX_URL_LENGTH - len("https://evil.example/"))
    assert len(url) == MAX_URL_LENGTH
    assert _get_link_page(english, url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "not a valid web address"),
        ("JavaScript:alert(document.domain)", "not a valid web address"),
        ("java\tscript:alert(1)", "not a valid web address"),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "not a valid web address"),
        ("vbscript:msgbox(1)", "not a valid web address"),
        ("ftp://files.example/", "not a valid web address"),
        ("mailto:someone@example.org", "not a valid web address"),
        ("/spaces/", "not a valid web address"),
        ("//evil.example/", "not a valid web address"),
        ("evil.example", "not a valid web address"),
        ("https://exa mple.com/", "not a valid web address"),
        ("https://0x7f.1/", "not a valid web address"),
        ("https://", "not a valid web address"),
        ("", "No destination address was given"),
        ("   ", "No destination address was given"),
        ("https://evil.example/" + "a" * MAX_URL_LENGTH, "too long"),
    ],
)
def test_warning_page_refuses_what_is_not_a_web_address(english, url, message):
    response = _get_link_page(english, url)
    assert response.status_code == 400
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    page = response.content.decode()
    assert "This link cannot be opened" in page
    assert message in page
    hrefs = [a.get("href", "") for a in _links(page)]
    assert not any(href.lower().startswith(("javascript", "data", "vbscript")) for href in hrefs)
    # The refused address is not echoed (the language switcher only keeps it as its "next" path).
    main = page[page.index("<main") : page.index("</main>")]
    assert "alert(" not in main and "msgbox" not in main and "evil.example" not in main and "<a " not in main


@pytest.mark.django_db
def test_missing_parameter_is_refused(english):
    response = english.get(OUTBOUND_LINK_PATH)
    assert response.status_code == 400
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_refusal_speaks_french_by_default(client_a):
    response = _get_link_page(client_a, "javascript:alert(1)")
    assert response.status_code == 400
    assert response["Content-Language"] == "fr"
    assert "Ce lien ne peut pas être ouvert" in response.content.decode()


@pytest.mark.django_db
def test_warning_page_speaks_french_by_default(client_a):
    page = _get_link_page(client_a, "https://evil.example/").content.decode()
    assert "Vous quittez Commune A" in page
    assert "Continuer vers evil.example" in page


@pytest.mark.django_db
def test_other_methods_are_refused_with_noindex(client_a):
    response = client_a.post(OUTBOUND_LINK_PATH + "?url=https%3A%2F%2Fevil.example%2F")
    assert response.status_code == 405
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.django_db
def test_rewritten_link_round_trips_through_the_warning_page(english, org_a):
    original = "https://evil.example/a b?x=1&y=é#top"
    href = _only_link(sanitize_user_html(f'<p><a href="{original}">x</a></p>', org_a))["href"]
    page = english.get(href).content.decode()
    assert 'href="https://evil.example/a%20b?x=1&amp;y=%C3%A9#top"' in page


# --- Content-Security-Policy -----------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", OUTBOUND_LINK_PATH + "?url=https%3A%2F%2Fevil.example%2F"])
def test_csp_forbids_inline_scripts(client_a, path):
    response = client_a.get(path)
    directives = _directives(response["Content-Security-Policy"])
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts, directives
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "data:" not in scripts
    assert directives.get("object-src") == ["'none'"]
    page = response.content.decode()
    assert "<script" not in page.lower() or "<script src=" in page.lower()
    assert " style=" not in page  # style-src has no 'unsafe-inline' either


# --- robots.txt and silent accounts ----------------------------------------------------


@pytest.fixture
def active_user_ids():
    """An activity source reporting the given users, removed after the test."""
    ids: set[int] = set()

    def source(organization):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(organization=organization, pk__in=ids).values("pk")

    activity.register_activity_source(source)
    yield ids
    activity.unregister_activity_source(source)


def _robots_lines(client) -> list[str]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode().splitlines()


@pytest.mark.django_db
def test_robots_keeps_crawlers_off_search_and_private_areas(client_a):
    lines = _robots_lines(client_a)
    assert lines[0] == "User-agent: *"
    for path in ["/accounts/", "/admin/", "/system/", "/search/"]:
        assert f"Disallow: {path}" in lines


@pytest.mark.django_db
def test_robots_lists_silent_profiles_of_this_organization_only(client_a, org_a, org_b, user_a):
    UserFactory(organization=org_b, nickname="bob")
    UserFactory(organization=org_a, nickname="gone", is_active=False)
    lines = _robots_lines(client_a)
    assert "Disallow: /profiles/alice/" in lines
    assert not any("bob" in line or "gone" in line for line in lines)
    assert "Disallow: /profiles/" not in lines


@pytest.mark.django_db
def test_robots_leaves_active_profiles_crawlable(client_a, user_a, active_user_ids):
    silent = UserFactory(organization=user_a.organization, nickname="silent")
    active_user_ids.add(user_a.pk)
    lines = _robots_lines(client_a)
    assert "Disallow: /profiles/alice/" not in lines
    assert f"Disallow: /profiles/{silent.nickname}/" in lines


@pytest.mark.django_db
def test_activity_source_with_null_ids_does_not_hide_everyone(org_a, user_a):
    from django.contrib.auth import get_user_model
    from django.db.models import BigIntegerField, Value
    from django.db.models.functions import Cast

    def source_with_nulls(organization):
        return (
            get_user_model()
            .objects.filter(organization=organization)
            .annotate(none=Cast(Value(None), output_field=BigIntegerField()))
            .values("none")
        )

    activity.register_activity_source(source_with_nulls)
    try:
        assert list(activity.inactive_profiles(org_a)) == [user_a]
    finally:
        activity.unregister_activity_source(source_with_nulls)


@pytest.mark.django_db
def test_robots_falls_back_to_one_line_past_the_limit(client_a, org_a, monkeypatch):
    monkeypatch.setattr(core_views, "ROBOTS_MAX_LISTED_PROFILES", 2)
    for nickname in ["one", "two", "three"]:
        UserFactory(organization=org_a, nickname=nickname)
    lines = _robots_lines(client_a)
    assert "Disallow: /profiles/" in lines
    assert not any(
        line.startswith("Disallow: /profiles/") and line != "Disallow: /profiles/" for line in lines
    )


@pytest.mark.django_db
def test_silent_profile_page_asks_not_to_be_indexed(client_a, user_a):
    page = client_a.get("/profiles/alice/").content.decode()
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.django_db
def test_active_profile_page_may_be_indexed(client_a, user_a, active_user_ids):
    active_user_ids.add(user_a.pk)
    page = client_a.get("/profiles/alice/").content.decode()
    assert 'name="robots"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("personal_url", "expected_href"),
    [
        ("https://alice.example/blog", "/link/?url=https%3A%2F%2Falice.example%2Fblog"),
        ("https://www.service-public.fr/x", "https://www.service-public.fr/x"),
    ],
)
def test_profile_personal_url_goes_through_the_warning_page(
    client_a, org_a, user_a, personal_url, expected_href
):
    org_a.external_domain_allowlist = ["service-public.fr"]
    org_a.save()
    user_a.personal_url = personal_url
    user_a.save()
    page = client_a.get("/profiles/alice/").content.decode()
    link = [a for a in _links(page) if a.get("href") == expected_href]
    assert len(link) == 1
    assert set(link[0]["rel"].split()) == REL_TOKENS


@pytest.mark.django_db
def test_profile_personal_url_with_a_bad_scheme_is_not_a_link(client_a, user_a):
    user_a.personal_url = "javascript:alert(1)"  # bypassing form validation, as a shell would
    user_a.save()
    page = client_a.get("/profiles/alice/").content.decode()
    assert "javascript:" not in " ".join(str(a.get("href")) for a in _links(page))
