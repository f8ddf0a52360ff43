"""Tile server URL templates (Leaflet's ``{z}/{x}/{y}`` form) and the origins they load from.

Framework-free: the organization model validates with it, the CSP middleware asks it
which origins the pages may load images from.
"""

import re
from urllib.parse import urlsplit

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"

# Leaflet's default subdomains, used when a template has {s} in its host.
SUBDOMAINS = ("a", "b", "c")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ALLOWED_PLACEHOLDERS = {"s", "z", "x", "y", "r"}
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class BadTemplate(ValueError):
    """The text is not a tile URL template Civitas can use."""


def _valid_host(host: str) -> bool:
    labels = host.split(".")
    return bool(host) and len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def check_template(template: str) -> None:
    """Raise ``BadTemplate`` with a reason unless ``template`` is a usable tile URL."""
    if any(char.isspace() or char in "\"'<>\\`" for char in template):
        raise BadTemplate("spaces, quotes and angle brackets are not allowed")
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadTemplate("the address must start with https://")
    if parts.username or parts.password or parts.fragment:
        raise BadTemplate("no user name, password or fragment")
    unknown = set(_PLACEHOLDER.findall(template)) - _ALLOWED_PLACEHOLDERS
    if unknown:
        raise BadTemplate("unknown placeholder")
    if not all(f"{{{name}}}" in template for name in "zxy"):
        raise BadTemplate("the placeholders {z}, {x} and {y} are needed")
    for origin in tile_origins(template):
        host = urlsplit(origin).hostname or ""
        if not _valid_host(host):
            raise BadTemplate("not a valid host name")
        try:
            urlsplit(origin).port  # noqa: B018  (raises on a bad port)
        except ValueError as error:
            raise BadTemplate("not a valid port") from error


def tile_origins(template: str) -> list[str]:
    """The origins (scheme, host, port) the template's tiles are loaded from."""
    parts = urlsplit(template)
    netloc = parts.netloc.lower()
    netlocs = [netloc.replace("{s}", sub) for sub in SUBDOMAINS] if "{s}" in netloc else [netloc]
    return [f"{parts.scheme}://{item}" for item in netlocs]
