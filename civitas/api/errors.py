"""Errors of the API, always answered as JSON: ``{"error": {"status", "code", "message"}}``."""

from django.http import JsonResponse
from django.utils.translation import gettext as _


class ApiError(Exception):
    """Raised anywhere below a view; the endpoint decorator turns it into a JSON answer."""

    def __init__(self, status: int, code: str, message, *, headers: dict | None = None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = str(message)
        self.headers = headers or {}


def not_found() -> ApiError:
    # Unknown and invisible objects get the same answer: their existence stays hidden.
    return ApiError(404, "not_found", _("No such object, or you may not see it."))


def bad_parameter(name: str, message) -> ApiError:
    return ApiError(
        400, "bad_parameter", _("Parameter “%(name)s”: %(message)s") % {"name": name, "message": message}
    )


def error_response(error: ApiError) -> JsonResponse:
    response = JsonResponse(
        {"error": {"status": error.status, "code": error.code, "message": error.message}},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in error.headers.items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response
