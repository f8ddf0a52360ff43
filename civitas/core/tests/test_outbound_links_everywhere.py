"""Every link a participant wrote leaves the site through the warning page, on every page.

Organization B gets one object of every kind (``build_world_b``); then every text that
someone wrote there — each text column holding the seeded marker or left empty, and
every URL column — is overwritten *in the database*, bypassing the sanitizer of
``save()``, with links to another site. That is what rows saved by older code look like,
so the pages must make those links safe when they render them. Every route is then read,
as the organization's admin (who sees the most) and as a visitor, and every
``<a href>`` leading to that other site must go through ``/link/`` and carry
``rel="nofollow noopener noreferrer ugc"``.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from civitas.core.links import OUTBOUND_LINK_PATH
from civitas.testing.security import MARKER, all_routes, fill_route, route_values

pytestmark = pytest.mark.django_db

ELSEWHERE = "evil.example"
PAYLOAD = (
    f'<p>{MARKER} <a href="https://{ELSEWHERE}/html">html</a> '
    f'<a href="//{ELSEWHERE}/relative-scheme">relative scheme</a> https://{ELSEWHERE}/bare</p>'
)
URL_PAYLOAD = f"https://{ELSEWHERE}/url-field"
REL = {"nofollow", "noopener", "noreferrer", "ugc"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attributes = dict(attrs)
            if attributes.get("href") is not None:
                self.links.append(attributes)


def _links(html: str) -> list[dict]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _fill_every_user_text() -> int:
    """Put links to ELSEWHERE in every text people wrote, as raw stored HTML."""
    filled = 0
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            rows = model._base_manager.all()
            if isinstance(field, models.URLField):
                filled += rows.update(**{field.name: URL_PAYLOAD})
            elif isinstance(field, models.TextField) and not field.choices:
                # Text seeded by build_world_b carries the marker; empty text is a field
                # nobody filled in yet (instructions, minutes, an answer…). Other values
                # are machine data (keys, hashes, JSON-like text) and stay as they are.
                wanted = models.Q(**{f"{field.name}__contains": MARKER}) | models.Q(**{field.name: ""})
                filled += rows.filter(wanted).update(**{field.name: PAYLOAD})
    return filled


def _offenders(path: str, html: str) -> tuple[list[str], int]:
    offenders, guarded = [], 0
    for attributes in _links(html):
        href = attributes["href"]
        parts = urlsplit(href)
        target = href
        if parts.path == OUTBOUND_LINK_PATH and not parts.netloc:
            target = parse_qs(parts.query).get("url", [""])[0]
            if ELSEWHERE in target:
                guarded += 1
        if ELSEWHERE not in target:
            continue
        if not (parts.path == OUTBOUND_LINK_PATH and not parts.netloc and not parts.scheme):
            offenders.append(f"{path}: {href} skips the warning page")
        elif not set(attributes.get("rel", "").split()) >= REL:
            offenders.append(f"{path}: {href} has rel={attributes.get('rel')!r}")
    return offenders, guarded


def test_no_page_links_straight_to_what_a_participant_wrote(world_b):
    organization = world_b["organization"]
    assert _fill_every_user_text() > 20
    if apps.is_installed("civitas.components.meetings"):  # show the address of the online meeting
        apps.get_model("meetings", "Meeting").objects.update(kind="hybrid", registrations_enabled=False)

    admin = Client(HTTP_HOST=organization.host)
    admin.force_login(organization.users.filter(is_organization_admin=True).first())
    visitor = Client(HTTP_HOST=organization.host)
    offenders, guarded_pages = [], set()
    for route in all_routes():
        if route.startswith("api/"):
            continue
        path, _names = fill_route(route, route_values(world_b, route))
        for client in (admin, visitor):
            response = client.get(path)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            found, guarded = _offenders(path, response.content.decode())
            offenders += found
            if guarded:
                guarded_pages.add(path)
    assert not offenders, "\n".join(sorted(set(offenders)))
    # The payloads were rendered as links (behind the warning page) where people's text shows.
    expected = {
        world_b["proposal"].get_absolute_url(),
        f"/profiles/{world_b['author'].nickname}/",
        world_b["components"]["meetings"].get_absolute_url()
        + f"{world_b['component_ids']['meetings']['meeting_id']}/",
    }
    assert expected <= guarded_pages, sorted(guarded_pages)
    assert len(guarded_pages) >= 8, sorted(guarded_pages)
