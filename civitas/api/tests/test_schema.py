"""The OpenAPI document describes every route, and every answer matches it."""

import re

import pytest
from django.conf import settings
from django.test import Client
from jsonschema import Draft202012Validator

from civitas.api.openapi import document
from civitas.api.tests.helpers import LISTS, detail_paths, hidden_paths
from civitas.api.tests.schema_check import assert_conforms
from civitas.api.urls import UNKNOWN_ADDRESS
from civitas.testing.security import all_routes

pytestmark = pytest.mark.django_db


def _api_routes() -> set[str]:
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in all_routes()
        if route.startswith("api/") and route != f"api/v1/{UNKNOWN_ADDRESS}"
    }


def test_every_route_is_described_and_every_description_is_a_route():
    described = set(document()["paths"])
    assert _api_routes() == described
    assert len(described) >= 20


def test_the_document_is_well_formed_openapi_3_1():
    openapi = document()
    assert openapi["openapi"].startswith("3.1")
    for shape in openapi["components"]["schemas"].values():
        Draft202012Validator.check_schema(shape)
    operation_ids = [item["get"]["operationId"] for item in openapi["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))
    for path, item in openapi["paths"].items():
        declared = {parameter["name"] for parameter in item["get"]["parameters"] if parameter["in"] == "path"}
        assert declared == set(re.findall(r"\{(\w+)\}", path)), path


def test_the_served_document_is_the_document_in_the_readers_language(org_a):
    client = Client(HTTP_HOST=org_a.host)
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == document()["paths"].keys()
    assert served["paths"]["/api/v1/proposals/"]["get"]["summary"].startswith("Propositions")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/api/v1/openapi.json").json()
    assert english["paths"]["/api/v1/proposals/"]["get"]["summary"].startswith("Published proposals")


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_every_answer_conforms_to_the_schema(world, org_a, who):
    client = Client(HTTP_HOST=org_a.host)
    if who == "member":
        client.force_login(world["member"])
        world["register"](world["member"])
    openapi = document()
    paths: list[str] = [
        *LISTS,
        *detail_paths(world),
        *hidden_paths(world),
        "/api/v1/openapi.json",
        "/api/v1/",
    ]
    paths += [f"{path}?page_size=1" for path in ("/api/v1/proposals/", "/api/v1/meetings/")]
    paths += [
        "/api/v1/proposals/?cursor=99",
        "/api/v1/proposals/?space=abc",
        "/api/v1/meetings/?updated_since=hier",
    ]
    for path in paths:
        assert_conforms(client.get(path), path, openapi)


def test_the_docs_page_lists_every_endpoint_in_french_and_english(org_a):
    client = Client(HTTP_HOST=org_a.host)
    french = client.get("/api/v1/").content.decode()
    assert "API en lecture seule" in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/api/v1/").content.decode()
    assert "Read-only API" in english
    for path in document()["paths"]:
        assert f"GET {path}" in french
