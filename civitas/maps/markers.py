"""The data of a map beside a list: the organization's tiles and one marker per located item.

Built from rows the list's own visibility rules already selected (the caller's queryset
or list), in at most one query; written into the page as JSON (``json_script``), so the
numbers are never localized and a map costs no geocoding.
"""

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from civitas.maps.tiles import OSM_ATTRIBUTION

# More would make the page heavy; the note under the map says when some are left out.
MAX_MARKERS = 2000


def _marker(latitude, longitude, title: str, url: str) -> list:
    return [round(float(latitude), 6), round(float(longitude), 6), title, url]


def markers_from_objects(items: Iterable) -> list[list]:
    """Markers of already loaded objects that have ``latitude``, ``longitude``, ``title``."""
    return [
        _marker(item.latitude, item.longitude, item.title, item.get_absolute_url())
        for item in items
        if item.latitude is not None and item.longitude is not None
    ][:MAX_MARKERS]


def markers_from_query(queryset, url_of: Callable[[int], str]) -> tuple[list[list], bool]:
    """Markers of a queryset's located rows, in one query; and whether some were left out."""
    rows = list(
        queryset.filter(latitude__isnull=False, longitude__isnull=False).values_list(
            "pk", "title", "latitude", "longitude"
        )[: MAX_MARKERS + 1]
    )
    markers = [_marker(lat, lon, title, url_of(pk)) for pk, title, lat, lon in rows[:MAX_MARKERS]]
    return markers, len(rows) > MAX_MARKERS


def _attribution(text: str) -> str:
    """OpenStreetMap's own credit in the reader's language; any other, as the admin wrote it."""
    return _("© OpenStreetMap contributors") if text == OSM_ATTRIBUTION else text


def map_context(organization, markers: list[list], *, label: str, list_id: str, truncated: bool = False):
    """What ``maps/_map.html`` needs, or ``None`` when nothing is located (no map is shown)."""
    if not markers:
        return None
    return {
        "label": label,
        "list_id": list_id,
        "truncated": truncated,
        "limit": MAX_MARKERS,
        "data": {
            "tiles": organization.map_tiles,
            "attribution": _attribution(organization.map_attribution),
            "attributionUrl": organization.map_attribution_url,
            "markers": markers,
        },
    }
