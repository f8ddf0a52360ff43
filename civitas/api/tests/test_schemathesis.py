"""schemathesis against the served OpenAPI document, in-process through the WSGI application.

For every operation it generates parameters from the document (ids, filters, pages,
dates) and checks each answer: never a server error, a documented status, content type,
headers, and a body that matches the documented schema. Examples are bounded and
derandomized, so the run takes seconds and gives the same verdict every time.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civitas.wsgi import application

pytestmark = [pytest.mark.django_db, pytest.mark.security("schemathesis (API)")]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25
# Data the document forbids (bad ids, unknown values, wrong types): never a server error,
# and refused with a 4xx. Malformed paths get Django's 404 page, not the API's JSON,
# which is why only these two checks apply.
NEGATIVE = ([not_a_server_error, negative_data_rejection], 10)


@pytest.fixture
def wsgi_in_test_transaction():
    """The WSGI application, sharing the test's database transaction.

    Django closes the database connection when a request finishes; the test client turns
    that off for its requests, and so must a raw WSGI caller, or the test's data (and its
    connection) would be gone after the first answer.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _ids_near_the_world(document: dict, world: dict) -> dict:
    """The served document, changed in place: path ids bounded to the world's (and a few more).

    Drawn from the whole 64-bit range, ids would almost never name a row, and answers with
    data would go unchecked; bounded, they name visible, hidden and missing objects alike.
    """
    largest = max(value.pk for value in world.values() if hasattr(value, "pk")) + 3
    for item in document["paths"].values():
        for parameter in item["get"]["parameters"]:
            if parameter["in"] == "path":
                parameter["schema"] = {**parameter["schema"], "maximum": largest}
    return document


def _exercise(operation, host: str, mode=GenerationMode.POSITIVE) -> int:
    calls = []
    checks, examples = (CHECKS, EXAMPLES_PER_OPERATION) if mode == GenerationMode.POSITIVE else NEGATIVE

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        # The world is built once for the test, not per example: nothing here writes.
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers={"Host": host}, checks=checks)
        calls.append(case)

    run()
    return len(calls)


def test_schemathesis_finds_no_server_error_and_no_answer_off_schema(
    world, org_a, settings, wsgi_in_test_transaction, security_cases
):
    settings.CIVITAS_RATE_LIMITS = {"api": ("100000/m", None)}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", wsgi_in_test_transaction, headers={"Host": org_a.host}
    )
    _ids_near_the_world(schema.raw_schema, world)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation but the document itself, which schemathesis leaves out.
    assert {operation.path for operation in operations} == set(schema.raw_schema["paths"]) - {
        "/api/v1/openapi.json"
    }
    calls = {operation.label: _exercise(operation, org_a.host) for operation in operations}
    assert all(count >= 1 for count in calls.values()), calls
    assert sum(calls.values()) >= 10 * len(operations)
    with_parameters = [operation for operation in operations if operation.definition.raw["parameters"]]
    invalid = [_exercise(operation, org_a.host, GenerationMode.NEGATIVE) for operation in with_parameters]
    assert sum(invalid) >= 3 * len(with_parameters)
    security_cases.add(sum(calls.values()) + sum(invalid))
