"""A small geocoder and tile server on 127.0.0.1, for tests: no test reaches the network.

One server answers in the three formats Civitas speaks, on their real paths: the Base
Adresse Nationale (``/search/?q=``, GeoJSON with ``properties.label``), Nominatim
(``/search?format=jsonv2&q=``, a list with ``display_name``, ``lat``, ``lon``) and Photon
(``/api/?q=``, GeoJSON with the address's parts). It also serves map tiles
(``/tiles/{z}/{x}/{y}.png``), and can misbehave on demand: ``server.mode`` set to
``"error"`` (500), ``"junk"`` (not JSON), ``"shape"`` (JSON of the wrong shape) or
``"slow"`` (answers after ``slow_seconds``). Every request's path is kept in ``requests``.
"""

import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class KnownPlace:
    housenumber: str
    street: str
    postcode: str
    city: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        return f"{self.housenumber} {self.street} {self.postcode} {self.city}".strip()


# Addresses of Angers (coordinates of the town's centre, give or take a few hundred metres).
PLACES = [
    KnownPlace("12", "Rue des Lices", "49100", "Angers", 47.46835, -0.55211),
    KnownPlace("14", "Rue des Lices", "49100", "Angers", 47.46841, -0.55243),
    KnownPlace("1", "Place du Ralliement", "49100", "Angers", 47.47155, -0.55146),
    KnownPlace("3", "Boulevard du Roi René", "49100", "Angers", 47.46889, -0.55473),
]


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (256, 256), (236, 232, 220))
    draw = ImageDraw.Draw(image)
    for step in range(0, 256, 64):  # a street grid, so that a map visibly has tiles
        draw.line([(step, 0), (step, 256)], fill=(255, 255, 255), width=6)
        draw.line([(0, step), (256, step)], fill=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _matches(query: str) -> list[KnownPlace]:
    words = query.casefold().split()
    return [place for place in PLACES if all(word in place.label.casefold() for word in words)]


def _ban(places, limit):
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {
                    "label": place.label,
                    "score": 0.9,
                    "housenumber": place.housenumber,
                    "name": f"{place.housenumber} {place.street}",
                    "postcode": place.postcode,
                    "city": place.city,
                    "type": "housenumber",
                },
            }
            for place in places[:limit]
        ],
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "limit": limit,
    }


def _nominatim(places, limit):
    return [
        {
            "place_id": 1000 + index,
            "lat": f"{place.latitude:.7f}",
            "lon": f"{place.longitude:.7f}",
            "category": "place",
            "type": "house",
            "display_name": f"{place.housenumber}, {place.street}, {place.city}, {place.postcode}, France",
        }
        for index, place in enumerate(places[:limit])
    ]


def _photon(places, limit):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": {
                    "osm_type": "N",
                    "country": "France",
                    "housenumber": place.housenumber,
                    "street": place.street,
                    "postcode": place.postcode,
                    "city": place.city,
                    "type": "house",
                },
            }
            for place in places[:limit]
        ],
    }


@dataclass
class GeoServer:
    mode: str = "ok"
    slow_seconds: float = 3.0
    requests: list = field(default_factory=list)
    tile: bytes = b""
    url: str = ""

    def start(self) -> "GeoServer":
        self.tile = _png()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802  (the standard library's name)
                parts = urlsplit(self.path)
                params = {key: values[0] for key, values in parse_qs(parts.query).items()}
                server.requests.append(self.path)
                if parts.path.startswith("/tiles/") and parts.path.endswith(".png"):
                    return self._send(200, server.tile, "image/png")
                if server.mode == "slow":
                    time.sleep(server.slow_seconds)
                if server.mode == "error":
                    return self._send(500, b"<h1>Internal Server Error</h1>", "text/html")
                if server.mode == "junk":
                    return self._send(200, b"<html>maintenance</html>", "application/json")
                if server.mode == "shape":
                    return self._send(200, b'{"results": []}', "application/json")
                limit = int(params.get("limit", "5"))
                found = _matches(params.get("q", ""))
                if parts.path == "/search/":
                    answer = _ban(found, limit)
                elif parts.path == "/search" and params.get("format") == "jsonv2":
                    answer = _nominatim(found, limit)
                elif parts.path == "/api/":
                    answer = _photon(found, limit)
                else:
                    return self._send(404, b"not found", "text/plain")
                return self._send(200, json.dumps(answer).encode(), "application/json")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def tiles(self) -> str:
        return f"{self.url}/tiles/{{z}}/{{x}}/{{y}}.png"
