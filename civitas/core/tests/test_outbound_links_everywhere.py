"""Every link a participant wrote leaves the site through the warning page, on every page.

Organization B gets one object of every kind (``build_world_b``); then every text that
someone wrote there — each text column holding the seeded marker or left empty, and
every URL column — is overwritten *in the database*, bypassing the sanitizer of
``save()``, with links to another site. That is what rows saved by older code look like,
so the pages must make those links safe when they render them. Every route is then read,
as the organization's admin (who sees the most) and as a visitor, and every
``<a href>`` leading to that other site must go through ``/link/`` and carry
``rel="nofollow noopener noreferrer ugc"``.

The API is read the same way: every endpoint, every string of its JSON answers. What its
OpenAPI schema declares HTML must hold no link that skips the warning page, and no string
may be a URL straight to that other site (a re-user shows both as links).
"""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from civitas.api.openapi import document
from civitas.api.schema_shapes import HTML
from civitas.api.tests.schema_check import operation_for
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


def _fill_world(world_b) -> tuple[Client, Client]:
    """Links everywhere in B's texts; B's admin and a visitor, to read them."""
    organization = world_b["organization"]
    assert _fill_every_user_text() > 20
    if apps.is_installed("civitas.components.meetings"):  # show the address of the online meeting
        apps.get_model("meetings", "Meeting").objects.update(kind="hybrid", registrations_enabled=False)
    # Show the texts that come at the end too: a closed debate's conclusion, a meeting's
    # minutes, a proposal's official answer.
    now = models.functions.Now()
    if apps.is_installed("civitas.components.debates"):
        apps.get_model("debates", "Debate").objects.update(closed_at=now)
    if apps.is_installed("civitas.components.meetings"):
        apps.get_model("meetings", "Meeting").objects.update(closed_at=now)
    apps.get_model("proposals", "Proposal").objects.update(answer_published_at=now)
    admin = Client(HTTP_HOST=organization.host)
    admin.force_login(organization.users.filter(is_organization_admin=True).first())
    return admin, Client(HTTP_HOST=organization.host)


def test_no_page_links_straight_to_what_a_participant_wrote(world_b):
    admin, visitor = _fill_world(world_b)
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


def _strings(data, schema: dict, schemas: dict, where: str = ""):
    """Every string of a JSON answer: where it is (``results[0].body``), and whether the
    API's own schema declares it HTML (plain text is shown escaped: its "<a>" is no link)."""
    while "$ref" in schema or "anyOf" in schema:
        if "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        else:
            schema = next((one for one in schema["anyOf"] if one.get("type") != "null"), {})
    if isinstance(data, str):
        yield where, data, schema == HTML
    elif isinstance(data, dict):
        for key, value in data.items():
            inner = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
            yield from _strings(
                value, inner if isinstance(inner, dict) else {}, schemas, f"{where}.{key}".lstrip(".")
            )
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, schema.get("items", {}), schemas, f"{where}[{index}]")


def _leads_elsewhere(value: str) -> bool:
    """A string that is itself a URL to the other site (``//host`` included)."""
    try:
        return ELSEWHERE in urlsplit(value.strip()).netloc
    except ValueError:
        return False


def test_no_api_answer_links_straight_to_what_a_participant_wrote(world_b):
    admin, visitor = _fill_world(world_b)
    openapi = document()
    offenders, guarded_fields, endpoints = [], set(), set()
    for route in all_routes():
        if not route.startswith("api/"):
            continue
        path, _names = fill_route(route, route_values(world_b, route))
        for client in (admin, visitor):
            response = client.get(path)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                continue
            endpoints.add(path)
            schema = operation_for(openapi, path)["responses"]["200"]["content"]["application/json"]["schema"]
            for where, value, is_html in _strings(response.json(), schema, openapi["components"]["schemas"]):
                found, guarded = _offenders(f"{path} {where}", value) if is_html else ([], 0)
                offenders += found
                if _leads_elsewhere(value):
                    offenders.append(f"{path} {where}: {value} skips the warning page")
                if guarded or value.startswith(f"{OUTBOUND_LINK_PATH}?url="):
                    guarded_fields.add(f"{path} {where}")
    assert not offenders, "\n".join(sorted(set(offenders)))
    # Every endpoint that returns someone's text was read, with the links in it guarded.
    fields = {field.split("[0].", 1)[-1].split(" ", 1)[-1] for field in guarded_fields}
    assert {"body", "description", "instructions", "conclusion", "agenda", "online_url"} <= fields
    assert {"report.minutes", "official_answer.text", "official_answer.feasibility_notes"} <= fields, fields
    guarded_endpoints = {field.split(" ", 1)[0] for field in guarded_fields}
    expected = {
        "/api/v1/spaces/",
        "/api/v1/proposals/",
        "/api/v1/meetings/",
        "/api/v1/debates/",
        f"/api/v1/comments/{world_b['comment'].pk}/",
    }
    assert expected <= guarded_endpoints, sorted(guarded_endpoints)
    assert len(endpoints) >= 15, sorted(endpoints)
