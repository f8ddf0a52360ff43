import pytest

from civitas.testing.geoservers import GeoServer


@pytest.fixture
def geo_server():
    server = GeoServer().start()
    yield server
    server.stop()


@pytest.fixture
def other_geo_server():
    server = GeoServer().start()
    yield server
    server.stop()
