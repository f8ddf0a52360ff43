"""Geocoding with an organization's own settings, answers kept for a while."""

import hashlib
import hmac
import logging

from django.core.cache import caches
from django.core.signing import Signer

from civitas.maps import geocoding
from civitas.maps.geocoding import GeocoderUnavailable, Place

logger = logging.getLogger(__name__)
ANSWER_SECONDS = 24 * 3600
# A geocoder that just failed is not asked again for a moment: each keystroke would wait.
DOWN_SECONDS = 30


def _cache_key(organization, kind: str, query: str) -> str:
    parts = (organization.pk, organization.geocoder, organization.geocoder_url, kind, query.casefold())
    return "geocode:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def find_places(organization, query: str, *, limit: int = 5) -> list[Place]:
    """Places for ``query`` from ``organization``'s geocoder; ``GeocoderUnavailable`` if it fails."""
    query = " ".join(query.split())[: geocoding.MAX_QUERY_LENGTH]
    if len(query) < 3:
        return []
    cache = caches["default"]
    key = _cache_key(organization, str(limit), query)
    down_key = _cache_key(organization, "down", "")
    cached = cache.get(key)
    if cached is not None:
        return [Place(*item) for item in cached]
    if cache.get(down_key):
        raise GeocoderUnavailable("failed a moment ago")
    try:
        places = geocoding.geocode(
            query,
            provider=organization.geocoder,
            configured_url=organization.geocoder_url,
            limit=limit,
            language=organization.default_locale,
            user_agent=f"Civitas (participation platform of {organization.host})",
        )
    except GeocoderUnavailable as error:
        # Not the error's text: it may hold the typed address.
        logger.warning(
            "geocoder %s of organization %s failed: %s",
            organization.geocoder,
            organization.pk,
            type(error.__cause__ or error).__name__,
        )
        cache.set(down_key, True, DOWN_SECONDS)
        raise
    cache.set(key, [(p.label, p.latitude, p.longitude) for p in places], ANSWER_SECONDS)
    return places


def _signer(organization) -> Signer:
    return Signer(salt=f"civitas.maps.place:{organization.pk}")


def place_check(organization, label: str, latitude: float, longitude: float) -> str:
    """A signature of a place the geocoder gave: a form may then keep it without asking again."""
    return _signer(organization).signature(f"{label.strip()}|{latitude!r}|{longitude!r}")


def is_checked_place(organization, label: str, latitude: float, longitude: float, check: str) -> bool:
    return bool(check) and hmac.compare_digest(place_check(organization, label, latitude, longitude), check)


def checked_place_data(organization, address: str, latitude: float, longitude: float) -> dict:
    """Form data placing ``address`` at known coordinates, as if picked among the suggestions
    (the demo's seed, whose places are facts, asks no geocoder)."""
    return {
        "address": address,
        "address_latitude": repr(latitude),
        "address_longitude": repr(longitude),
        "address_check": place_check(organization, address, latitude, longitude),
    }
