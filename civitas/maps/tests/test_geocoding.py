"""Geocoding in the three formats, against a local server speaking them; bad answers; tile templates."""

import time

import pytest

from civitas.maps import geocoding, tiles
from civitas.maps.geocoding import GeocoderUnavailable


@pytest.mark.parametrize(
    ("provider", "label"),
    [
        (geocoding.BAN, "12 Rue des Lices 49100 Angers"),
        (geocoding.NOMINATIM, "12, Rue des Lices, Angers, 49100, France"),
        (geocoding.PHOTON, "12 Rue des Lices, 49100 Angers"),
    ],
)
def test_each_provider_format_gives_labels_and_coordinates(geo_server, provider, label):
    places = geocoding.geocode("rue des lices", provider=provider, configured_url=geo_server.url, limit=5)
    assert [place.label for place in places][:1] == [label]
    assert len(places) == 2
    assert (places[0].latitude, places[0].longitude) == pytest.approx((47.46835, -0.55211))
    path = geo_server.requests[-1]
    expected = {"ban": "/search/?q=", "nominatim": "/search?format=jsonv2&q=", "photon": "/api/?q="}
    assert path.startswith(expected[provider])
    assert "limit=5" in path


def test_nothing_found_is_an_empty_list_not_an_error(geo_server):
    assert geocoding.geocode("nowhere at all", provider="ban", configured_url=geo_server.url) == []
    assert geocoding.geocode("   ", provider="ban", configured_url=geo_server.url) == []
    assert len(geo_server.requests) == 1  # a blank query asks nobody


@pytest.mark.parametrize("mode", ["error", "junk", "shape"])
@pytest.mark.parametrize("provider", geocoding.PROVIDERS)
def test_bad_answers_are_unavailable(geo_server, mode, provider):
    geo_server.mode = mode
    with pytest.raises(GeocoderUnavailable):
        geocoding.geocode("rue des lices", provider=provider, configured_url=geo_server.url)


def test_a_slow_geocoder_is_given_up_after_the_timeout(geo_server, settings):
    settings.CIVITAS_GEOCODER_TIMEOUT = 0.5
    geo_server.mode, geo_server.slow_seconds = "slow", 3
    started = time.monotonic()
    with pytest.raises(GeocoderUnavailable):
        geocoding.geocode("rue des lices", provider="ban", configured_url=geo_server.url)
    assert time.monotonic() - started < 2


def test_a_geocoder_that_does_not_listen_is_unavailable(settings):
    with pytest.raises(GeocoderUnavailable):
        geocoding.geocode("rue des lices", provider="nominatim", configured_url="http://127.0.0.1:9")


def test_private_addresses_are_refused_unless_the_installation_allows_them(geo_server, settings):
    settings.CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(GeocoderUnavailable, match="private address"):
        geocoding.geocode("rue des lices", provider="ban", configured_url=geo_server.url)
    assert geo_server.requests == []  # refused before any connection


def test_coordinates_out_of_range_are_a_bad_answer():
    feature = {"geometry": {"coordinates": [500, 1]}, "properties": {"label": "x"}}
    answer = {"type": "FeatureCollection", "features": [feature]}
    with pytest.raises(ValueError):
        geocoding.parse("ban", answer)
    with pytest.raises(ValueError):
        geocoding.parse("nominatim", [{"display_name": "x", "lat": "nan", "lon": "1"}])


def test_tile_templates():
    tiles.check_template(tiles.OSM_TILES)
    tiles.check_template("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}{r}.png")
    tiles.check_template("http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png")
    for bad in [
        "tile.openstreetmap.org/{z}/{x}/{y}.png",
        "javascript:alert(1)//{z}/{x}/{y}",
        "https://tile.openstreetmap.org/{z}/{x}.png",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png?k={key}",
        'https://tile.openstreetmap.org/{z}/{x}/{y}.png" onerror="x',
        "https://user:pass@tiles.example/{z}/{x}/{y}.png",
        "https://exa mple.org/{z}/{x}/{y}.png",
    ]:
        with pytest.raises(tiles.BadTemplate):
            tiles.check_template(bad)
    assert tiles.tile_origins(tiles.OSM_TILES) == ["https://tile.openstreetmap.org"]
    assert tiles.tile_origins("https://{s}.tile.example.fr:8443/{z}/{x}/{y}.png") == [
        "https://a.tile.example.fr:8443",
        "https://b.tile.example.fr:8443",
        "https://c.tile.example.fr:8443",
    ]
