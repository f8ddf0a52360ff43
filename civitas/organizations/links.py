"""Absolute addresses on an organization's own host, for what is read away from the request.

E-mails (password reset, address confirmation, notifications, digests), calendar files
and API links are built from the organization's configured host, the scheme the
installation serves (``CIVITAS_HTTPS``) and, in development, ``CIVITAS_LINK_PORT``; never
from the request's ``Host`` header. The organization is found by the host's name alone,
so a request sent with ``Host: commune.fr:9999`` (or through a proxy that passes any
port) reaches the right organization: had the link taken the header, the password-reset
e-mail would point to a server the attacker chose, and the token in it would leak there.
"""

from django.conf import settings


def scheme() -> str:
    return "https" if settings.HTTPS else "http"


def base_url(organization) -> str:
    """``https://host`` (``http://host:port`` in development), without a trailing slash."""
    return f"{scheme()}://{netloc(organization)}"


def netloc(organization) -> str:
    port = settings.CIVITAS_LINK_PORT
    return f"{organization.host}:{port}" if port else organization.host


def absolute_url(organization, path: str) -> str:
    """The address of an absolute path (``/accounts/…``) on the organization's host."""
    if not path.startswith("/"):
        raise ValueError(f"expected an absolute path, got {path!r}")
    return base_url(organization) + path
