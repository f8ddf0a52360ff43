"""Check real answers against the OpenAPI document the API serves."""

import json
import re

from jsonschema import Draft202012Validator

from civitas.api.openapi import document


def _template_regex(template: str):
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[0-9]+", re.escape(template)) + "$")


def operation_for(openapi: dict, path: str) -> dict:
    for template, item in openapi["paths"].items():
        if _template_regex(template).match(path):
            return item["get"]
    raise AssertionError(f"{path} is in no path of the OpenAPI document")


def assert_conforms(response, path: str, openapi: dict | None = None) -> None:
    """The answer's status is documented for its path, and its body matches the schema."""
    openapi = openapi or document()
    operation = operation_for(openapi, path.split("?")[0])
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{path}: status {response.status_code} is not documented"
    ((content_type, media),) = documented["content"].items()
    assert response["Content-Type"].split(";")[0] == content_type, path
    if content_type != "application/json":
        return
    schema = {**media["schema"], "components": openapi["components"]}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{list(error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(json.loads(response.content))
    ]
    assert not errors, f"{path}: " + "; ".join(errors[:5])
