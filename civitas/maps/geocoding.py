"""Addresses to coordinates, through the geocoder an organization chose.

Three formats are spoken: the French Base Adresse Nationale (``/search/?q=`` answering a
GeoJSON FeatureCollection whose features carry ``properties.label``), Nominatim
(``/search?format=jsonv2&q=``, a JSON list with ``display_name``, ``lat`` and ``lon``)
and Photon (``/api/?q=``, GeoJSON whose properties hold the address's parts).

The geocoder is asked by the server only: browsers never talk to it, so the pages'
Content-Security-Policy needs no entry for it and visitors' addresses are not handed
to a third party. An answer that is late, refused, not JSON or not in the expected
shape is ``GeocoderUnavailable``; callers tell the person and go on without coordinates.
"""

import ipaddress
import json
import logging
import math
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

BAN, NOMINATIM, PHOTON = "ban", "nominatim", "photon"
PROVIDERS = (BAN, NOMINATIM, PHOTON)
# Public servers, used when an organization gives no address of its own.
PUBLIC_URLS = {
    BAN: "https://api-adresse.data.gouv.fr",
    NOMINATIM: "https://nominatim.openstreetmap.org",
    PHOTON: "https://photon.komoot.io",
}
MAX_ANSWER_BYTES = 512 * 1024
MAX_QUERY_LENGTH = 200


class GeocoderUnavailable(Exception):
    """The geocoder did not give a usable answer (down, slow, refused, junk)."""


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float
    longitude: float


def base_url(provider: str, configured: str = "") -> str:
    urls = {**PUBLIC_URLS, **getattr(settings, "CIVITAS_GEOCODER_PUBLIC_URLS", {})}
    return (configured or urls[provider]).rstrip("/")


def request_for(provider: str, base: str, query: str, *, limit: int, language: str) -> tuple[str, dict]:
    """The URL and query parameters that ask ``provider`` at ``base`` for ``query``."""
    if provider == BAN:
        return f"{base}/search/", {"q": query, "limit": limit}
    if provider == NOMINATIM:
        params = {"format": "jsonv2", "q": query, "limit": limit, "accept-language": language}
        return f"{base}/search", params
    if provider == PHOTON:
        return f"{base}/api/", {"q": query, "limit": limit, "lang": language}
    raise ValueError(f"unknown geocoder {provider!r}")


def _coordinate(value, bound: float) -> float:
    number = float(value)
    if not math.isfinite(number) or abs(number) > bound:
        raise ValueError("coordinate out of range")
    return number


def _feature_point(feature: dict) -> tuple[float, float]:
    longitude, latitude = feature["geometry"]["coordinates"][:2]
    return _coordinate(latitude, 90), _coordinate(longitude, 180)


def _photon_label(properties: dict) -> str:
    """Photon gives the parts of an address, not a label: "name, 12 street, postcode city"."""
    name = str(properties.get("name") or "")
    street = " ".join(str(properties[key]) for key in ("housenumber", "street") if properties.get(key))
    city = str(properties.get("city") or "")
    town = " ".join(part for part in (str(properties.get("postcode") or ""), city) if part and part != name)
    parts = [name if name != properties.get("street") else "", street, town]
    if not any(parts):
        parts.append(str(properties.get("country") or ""))
    return ", ".join(part for part in parts if part)


def parse(provider: str, answer) -> list[Place]:
    """The places of a geocoder's decoded JSON answer; ``ValueError`` when its shape is wrong."""
    places = []
    try:
        if provider == NOMINATIM:
            if not isinstance(answer, list):
                raise ValueError("Nominatim answers a list")
            for item in answer:
                label = str(item["display_name"])
                places.append(Place(label, _coordinate(item["lat"], 90), _coordinate(item["lon"], 180)))
        else:
            if not isinstance(answer, dict) or answer.get("type") != "FeatureCollection":
                raise ValueError("a GeoJSON FeatureCollection was expected")
            for feature in answer["features"]:
                properties = feature.get("properties") or {}
                label = str(properties["label"]) if provider == BAN else _photon_label(properties)
                latitude, longitude = _feature_point(feature)
                places.append(Place(label, latitude, longitude))
    except (KeyError, TypeError, IndexError) as error:
        raise ValueError(f"unexpected answer: {error!r}") from error
    return [place for place in places if place.label.strip()]


def _check_destination(url: str) -> None:
    """Refuse addresses of this machine or its private network, unless the installation allows them.

    The geocoder's address is typed by an organization's admin: without this check, any
    admin could make the server query services that only it can reach.
    """
    if getattr(settings, "CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES", False):
        return
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise GeocoderUnavailable(f"cannot resolve {parts.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise GeocoderUnavailable(f"{parts.hostname} is a private address ({address})")


def _fetch(url: str, params: dict, *, user_agent: str) -> object:
    timeout = float(getattr(settings, "CIVITAS_GEOCODER_TIMEOUT", 4))
    deadline = time.monotonic() + timeout
    _check_destination(url)
    try:
        with requests.get(
            url,
            params=params,
            timeout=timeout,
            allow_redirects=False,
            stream=True,
            headers={"User-Agent": user_agent, "Accept": "application/json"},
        ) as response:
            if response.status_code != 200:
                raise GeocoderUnavailable(f"{url} answered {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(16 * 1024):
                body.extend(chunk)
                if len(body) > MAX_ANSWER_BYTES:
                    raise GeocoderUnavailable(f"{url} answered more than {MAX_ANSWER_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise GeocoderUnavailable(f"{url} took more than {timeout} s")
    except requests.RequestException as error:
        raise GeocoderUnavailable(f"{url}: {error}") from error
    try:
        return json.loads(bytes(body))
    except ValueError as error:
        raise GeocoderUnavailable(f"{url} answered something that is not JSON") from error


def geocode(
    query: str,
    *,
    provider: str,
    configured_url: str = "",
    limit: int = 5,
    language: str = "fr",
    user_agent: str = "Civitas",
) -> list[Place]:
    """Up to ``limit`` places matching ``query``, best first; ``[]`` when none matches."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    base = base_url(provider, configured_url)
    url, params = request_for(provider, base, query, limit=limit, language=language)
    answer = _fetch(url, params, user_agent=user_agent)
    try:
        places = parse(provider, answer)
    except ValueError as error:
        logger.warning("geocoder %s: %s", url, error)
        raise GeocoderUnavailable(str(error)) from error
    return places[:limit]
