"""Hostile input on every route: SQL injection in query strings, open redirects, image bombs."""

import struct
import zlib
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civitas.core.images import validate_uploaded_image
from civitas.testing.security import all_routes, fill_route, route_values

pytestmark = [pytest.mark.django_db, pytest.mark.security("hostile input")]

SQL_PAYLOADS = (
    "' OR '1'='1",
    "1; DROP TABLE proposals_proposal; --",
    "1 UNION SELECT password FROM accounts_user --",
    '") OR 1=1 --',
    "99999999999999999999999",
    "²\\%\x00",
)
# The names of the query parameters the platform reads (filters, search, pagination, order).
QUERY_NAMES = ("q", "state", "tag", "order", "page", "mine", "type", "space", "sort", "comments", "action")
EVIL = "https://evil.example/phish"
REDIRECT_NAMES = ("next", "return_to", "back", "redirect", "url")


def _admin_client(world):
    organization = world["organization"]
    client = Client(HTTP_HOST=organization.host)
    client.force_login(organization.users.filter(is_organization_admin=True).first())
    return client


def _get_routes(world):
    for route in all_routes():
        path, _names = fill_route(route, route_values(world, route))
        yield path


@pytest.mark.security("SQL injection (pages)")
def test_sql_payloads_in_every_query_parameter_never_break_a_page(world_b, security_cases, settings):
    from civitas.testing.geoservers import GeoServer

    # The address search asks the organization's geocoder: a real one, on loopback, so that
    # the payloads reach it and come back (a geocoder down answers 503 by design).
    geocoder = GeoServer().start()
    settings.CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES = True
    organization = world_b["organization"]
    organization.geocoder, organization.geocoder_url = "ban", geocoder.url
    organization.save()
    try:
        _sql_payloads_everywhere(world_b, security_cases)
    finally:
        geocoder.stop()


def _sql_payloads_everywhere(world_b, security_cases):
    client = _admin_client(world_b)
    tried = 0
    for path in _get_routes(world_b):
        for payload in SQL_PAYLOADS:
            response = client.get(path, dict.fromkeys(QUERY_NAMES, payload))
            tried += 1
            security_cases.add()
            assert response.status_code < 500, f"GET {path} with {payload!r} answered {response.status_code}"
    assert tried >= 90 * len(SQL_PAYLOADS)
    # A payload is searched for as text: it matches no proposal, and the data is all there.
    listing = world_b["components"]["proposals"].get_absolute_url()
    link = world_b["proposal"].get_absolute_url()
    assert link in client.get(listing).content.decode()
    assert link not in client.get(listing, {"q": "' OR '1'='1"}).content.decode()


def _off_site(response) -> bool:
    location = response.headers.get("Location", "")
    host = urlsplit(location).netloc
    return bool(location) and (host not in ("", "commune-b.test") or location.startswith("//"))


@pytest.mark.security("open redirect")
def test_no_route_redirects_off_site(world_b, security_cases):
    client = _admin_client(world_b)
    offenders = []
    for path in _get_routes(world_b):
        for evil in (EVIL, "//evil.example/"):
            params = dict.fromkeys(REDIRECT_NAMES, evil)
            for method in ("get", "post"):
                response = getattr(client, method)(path, params)
                security_cases.add()
                if response.status_code in (301, 302, 303, 307, 308) and _off_site(response):
                    offenders.append(f"{method.upper()} {path} → {response['Location']}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.security("clickjacking")
def test_pages_cannot_be_framed(client_a):
    response = client_a.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", "")


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a gigantic picture: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.security("file upload")
@pytest.mark.parametrize("size", [(60000, 60000), (4001, 10), (10, 100000)])
def test_an_image_bomb_is_refused_before_decoding(size):
    bomb = SimpleUploadedFile("bomb.png", _png_header_only(*size), content_type="image/png")
    assert bomb.size < 1000
    with pytest.raises(ValidationError):
        validate_uploaded_image(bomb)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("1e3", None),
        ("9" * 19, None),
        ("", None),
    ],
)
def test_ids_from_query_strings(raw, expected):
    from civitas.core.params import parse_id

    assert parse_id(raw) == expected


def test_a_nul_character_is_a_bad_request(client_a, user_a):
    assert client_a.get("/", {"q": "a\x00b"}).status_code == 400
    client_a.force_login(user_a)
    assert client_a.post("/accounts/settings/", {"name": "Alice\x00"}).status_code == 400
