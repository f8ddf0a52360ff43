"""Links written by people: where they really lead, and which ones need a warning page.

Everything a participant writes may contain links. A link to the organization's own
site stays as it is; a link to a domain the organization trusts (its allow-list, a
subdomain counting as the domain) is kept but normalised; every other link is sent
through the outbound-link warning page (``/link/?url=…``), which shows the real
destination before anyone leaves. All of them carry ``rel="nofollow noopener noreferrer
ugc"`` (added by nh3), so search engines give them no weight and the target page gets
no handle on ours.

Security decisions are taken on the URL *as a browser would read it* (tabs and line
breaks removed, backslashes read as slashes, the host IDNA-encoded), and the URL we emit
is rebuilt from the very parts we checked, so what we check is where the browser goes.

This module imports nothing from Django: the organization is anything with ``host`` and
``external_domain_allowlist`` attributes (or ``None``).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from civitas.core.richtext import clean_html, sanitize_html
from civitas.organizations.hosts import is_valid_host, normalize_host

# Kept in step with the route of civitas/core/urls.py (a test checks it), so this module
# needs no URL resolver.
OUTBOUND_LINK_PATH = "/link/"
MAX_URL_LENGTH = 2000
WEB_SCHEMES = frozenset({"http", "https"})

# The WHATWG URL parser drops these anywhere in a URL, so "java\tscript:" is "javascript:".
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
# Leading and trailing C0 controls and spaces are trimmed by browsers too.
_C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A last label that a browser reads as a number turns the host into an IPv4 address
# ("0x7f.1" is 127.0.0.1): such hosts are refused unless they are a plain dotted quad.
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
# Characters left as they are when a path, query or fragment is re-encoded; "%" is kept
# so that existing escapes are not escaped twice.
_URL_SAFE = "/%:@!$&'()*+,;=-._~?"
# Second-level labels under which country-code domains are registered (example.co.uk,
# service-public.gouv.fr). A heuristic used only to *highlight* a domain for readers;
# nothing is allowed or refused on its basis.
_SECOND_LEVEL_LABELS = frozenset(
    {"ac", "asso", "co", "com", "ed", "edu", "go", "gouv", "gov", "gv", "lg", "ltd", "me", "mil"}
    | {"ne", "net", "nic", "nom", "or", "org", "plc", "sch"}
)


@dataclass(frozen=True)
class WebAddress:
    """An absolute http(s) URL, rebuilt from its checked parts.

    ``url`` is what we show and where a "Continue" link leads; ``before_domain``,
    ``registered_domain`` and ``after_domain`` concatenate to it, so a page can
    highlight the registered domain inside the full address.
    """

    url: str
    scheme: str
    host: str
    registered_domain: str
    before_domain: str
    after_domain: str


def _browser_view(raw: str) -> str | None:
    """The URL as a browser reads it, or None when it holds other control characters."""
    value = _IGNORED_BY_BROWSERS.sub("", raw).strip(_C0_OR_SPACE).replace("\\", "/")
    return None if _CONTROL.search(value) else value


def _ascii_host(hostname: str) -> str | None:
    """The IDNA (punycode) form of a host name, or None when it is not a valid one."""
    host = normalize_host(hostname)
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not is_valid_host(host):
        return None
    if _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        return None  # a number that is not a canonical dotted quad (handled above)
    return host


def registered_domain(host: str) -> str:
    """The part of a host name that someone registered: www.example.co.uk → example.co.uk."""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL_LABELS:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def parse_web_address(raw: str | None) -> WebAddress | None:
    """An absolute http or https URL with a valid host, or None for anything else.

    Refused: missing, over MAX_URL_LENGTH characters, relative or protocol-relative,
    other schemes (javascript:, data:, vbscript:, mailto: …), bad hosts or ports.
    Credentials (``user:password@``) are dropped: in a public link they are either a
    mistake or a disguise ("https://www.mairie.fr@evil.example/").
    """
    if not raw or len(raw) > MAX_URL_LENGTH:
        return None
    value = _browser_view(raw)
    if not value:
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in WEB_SCHEMES or not parts.hostname:
        return None
    host = _ascii_host(parts.hostname)
    if host is None:
        return None
    domain = registered_domain(host)
    netloc_host = f"[{host}]" if ":" in host else host
    port_part = f":{port}" if port is not None else ""
    path = quote(parts.path, safe=_URL_SAFE)
    query = quote(parts.query, safe=_URL_SAFE)
    fragment = quote(parts.fragment, safe=_URL_SAFE)
    url = urlunsplit((parts.scheme, netloc_host + port_part, path, query, fragment))
    if len(url) > MAX_URL_LENGTH:
        return None
    if ":" in host:  # IPv6: the whole bracketed literal is what to look at
        subdomains, domain = "", netloc_host
    else:
        subdomains = host[: len(host) - len(domain)]
    before = f"{parts.scheme}://{subdomains}"
    after = url[len(before) + len(domain) :]
    return WebAddress(
        url=url,
        scheme=parts.scheme,
        host=host,
        registered_domain=domain,
        before_domain=before,
        after_domain=after,
    )


def is_allowed_domain(host: str, allowlist) -> bool:
    """True when host is an allow-listed domain or one of its subdomains."""
    for entry in allowlist or ():
        domain = _ascii_host(entry) if isinstance(entry, str) else None
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def outbound_link_url(url: str) -> str:
    """The address of the warning page for url (fully quoted: "&" and "#" included)."""
    return f"{OUTBOUND_LINK_PATH}?url={quote(url, safe='')}"


def _organization_host(organization) -> str:
    return normalize_host(getattr(organization, "host", "") or "")


def _is_direct(address: WebAddress, organization) -> bool:
    """Internal (the organization's own host) or allow-listed: no warning page."""
    if organization is None:
        return False
    if address.host == _organization_host(organization):
        return True
    return is_allowed_domain(address.host, getattr(organization, "external_domain_allowlist", None))


def outbound_url(value: str | None, organization) -> str:
    """Where a single user-given URL should point: itself when internal or allow-listed,
    the warning page otherwise, "" when it is not an absolute http(s) URL."""
    address = parse_web_address(value)
    if address is None:
        return ""
    return address.url if _is_direct(address, organization) else outbound_link_url(address.url)


def rewritten_href(value: str, organization) -> str | None:
    """The href a user-written link gets; None removes it (the link text stays)."""
    seen = _browser_view(value)
    if seen is None:
        return None
    try:
        parts = urlsplit(seen)
    except ValueError:
        return None
    if not parts.scheme and not parts.netloc:
        if ":" in re.split(r"[/?#]", seen, maxsplit=1)[0]:
            # "java\ufffdscript:…" parses as relative here; a colon before any slash is
            # a scheme-like thing some browser may read otherwise, and no page of ours.
            return None
        return seen  # relative: a page of this site
    if parts.scheme == "mailto":
        return seen  # opens the visitor's mail program, leads to no site
    if not parts.scheme:
        seen = "https:" + seen  # protocol-relative "//host/…" leaves the site all the same
    address = parse_web_address(seen)
    if address is None:
        return None  # any other scheme, bad host, too long: not a link we can vouch for
    return address.url if _is_direct(address, organization) else outbound_link_url(address.url)


def rewrite_links(html: str, organization) -> str:
    """Rewrite the links of sanitized HTML for organization.

    nh3 parses the HTML and calls us back with each attribute's decoded value, then
    serializes (and escapes) what we return: no HTML is handled as text here. It also
    applies the same allow-lists again and adds the rel attribute to every link.
    """
    if not html:
        return ""
    return clean_html(html, link_filter=lambda value: rewritten_href(value, organization))


def sanitize_user_html(value: str | None, organization) -> str:
    """HTML written by a participant, safe to store or render for organization.

    Pages and the API sanitize the same descriptions and comments on every request, two nh3
    passes each (half of the API's list of 20 spaces). The result depends on the text and on
    what link rewriting reads of the organization, its host and allow-list, so that is what
    a per-process cache is keyed on: a changed allow-list is another key, never a stale link.
    """
    if not value:
        return ""
    policy = None if organization is None else _LinkPolicy.of(organization)
    if len(value) > _CACHED_LENGTH:
        return rewrite_links(sanitize_html(value), policy)
    return _sanitized(value, policy)


# Bounds the cache's memory: 1,024 texts of at most 8,000 characters and their sanitized
# copies: about 16 MB at worst, per process.
_CACHED_LENGTH = 8_000


@dataclass(frozen=True)
class _LinkPolicy:
    """What link rewriting reads of an organization, hashable (see the module's docstring)."""

    host: str
    external_domain_allowlist: tuple[str, ...]

    @classmethod
    def of(cls, organization) -> _LinkPolicy:
        allowlist = getattr(organization, "external_domain_allowlist", None) or ()
        # Entries that are not strings are never trusted (``is_allowed_domain``) either way.
        return cls(
            host=getattr(organization, "host", "") or "",
            external_domain_allowlist=tuple(entry for entry in allowlist if isinstance(entry, str)),
        )


@lru_cache(maxsize=1024)
def _sanitized(value: str, policy: _LinkPolicy | None) -> str:
    return rewrite_links(sanitize_html(value), policy)
