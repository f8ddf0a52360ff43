"""The OpenID Connect exchange with one provider, through Authlib.

Authlib does the protocol: state, nonce and PKCE kept in the session, the code exchanged
at the token endpoint, the ID token's signature checked against the provider's JWKS and
its claims validated. This module adds what Authlib leaves to the application:

- the provider's configuration comes from the database, per organization, and its
  discovery document from the shared cache (fetched again after an hour);
- the ID token's issuer and audience are always required to be the provider's and ours
  (Authlib checks the audience only when told to);
- the issuer sent back with the code (RFC 9207) must be the provider's, against mix-up;
- FranceConnect and ProConnect answer the user info as a signed JWT: it is verified
  with the same keys, and its ``sub`` must be the ID token's;
- the authentication level (``acr``) must reach the one asked for;
- every failure becomes an ``IdentityError`` whose message can be shown as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT_SECONDS = 10
METADATA_CACHE_SECONDS = 3600
# How long a started log-in may wait for the provider's answer.
STATE_LIFETIME_SECONDS = 900
DISCOVERY_SUFFIX = "/.well-known/openid-configuration"


class IdentityError(Exception):
    """A log-in through a provider failed; the message says why, for the person."""


class ProviderUnavailable(IdentityError):
    pass


@dataclass(frozen=True)
class ProviderIdentity:
    """What a completed exchange gives: whom the provider vouches for, and how."""

    subject: str
    claims: dict
    id_token: str
    acr: str
    # What the log-in was started for ("login" or "link"), by whom, and where to go after.
    intent: str
    started_by: int | None
    next_url: str


class _SessionState(DjangoIntegration):
    expires_in = STATE_LIFETIME_SECONDS


def _unavailable(provider) -> ProviderUnavailable:
    return ProviderUnavailable(
        _(
            "%(provider)s does not answer at the moment. "
            "Nothing was changed; please try again in a few minutes."
        )
        % {"provider": provider.name}
    )


def _unverifiable(provider) -> IdentityError:
    return IdentityError(
        _("The identity sent by %(provider)s could not be verified. Nothing was changed; please start again.")
        % {"provider": provider.name}
    )


def metadata_key(provider) -> str:
    digest = hashlib.sha256(provider.discovery_url.encode()).hexdigest()[:16]
    return f"civitas:identity:metadata:{provider.pk}:{digest}"


def load_metadata(provider) -> dict:
    """The provider's discovery document, checked to be its own (OpenID Discovery §4.3)."""
    key = metadata_key(provider)
    metadata = cache.get(key)
    if metadata is not None:
        return metadata
    try:
        response = requests.get(provider.discovery_url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError):
        raise _unavailable(provider) from None
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(metadata, dict) or not all(isinstance(metadata.get(name), str) for name in required):
        raise _unavailable(provider)
    if metadata["issuer"].rstrip("/") + DISCOVERY_SUFFIX != provider.discovery_url:
        # A document served at one address naming another issuer could make us accept
        # that other issuer's tokens.
        raise _unverifiable(provider)
    cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def forget_metadata(provider) -> None:
    cache.delete(metadata_key(provider))


def _client(provider, metadata: dict) -> DjangoOAuth2App:
    auth_methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    client_kwargs = {
        "scope": provider.scopes,
        "token_endpoint_auth_method": (
            "client_secret_basic" if "client_secret_basic" in auth_methods else "client_secret_post"
        ),
        "default_timeout": TIMEOUT_SECONDS,
        # FranceConnect's access tokens live 60 seconds: Authlib's default margin of 60
        # would call them expired as soon as they are issued.
        "leeway": 5,
    }
    # PKCE wherever the provider says it takes it.
    if "S256" in (metadata.get("code_challenge_methods_supported") or []):
        client_kwargs["code_challenge_method"] = "S256"
    return DjangoOAuth2App(
        _SessionState(f"civitas_identity_{provider.pk}"),
        name=f"civitas_identity_{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        client_kwargs=client_kwargs,
        **metadata,
    )


def authorization_redirect(
    request, provider, *, redirect_uri: str, intent: str, next_url: str
) -> HttpResponseRedirect:
    """Send the browser to the provider; the state, nonce and PKCE verifier wait in the session."""
    metadata = load_metadata(provider)
    client = _client(provider, metadata)
    # FranceConnect wants state and nonce of at least 32 characters.
    params = {"state": generate_token(48), "nonce": generate_token(48)}
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    authorization = client.create_authorization_url(redirect_uri, **params)
    client.save_authorize_data(
        request,
        redirect_uri=redirect_uri,
        intent=intent,
        started_by=request.user.pk if request.user.is_authenticated else None,
        next_url=next_url,
        **authorization,
    )
    return HttpResponseRedirect(authorization["url"])


def complete_authorization(request, provider) -> ProviderIdentity:
    """Check the provider's answer to the browser and exchange its code; IdentityError if anything is off."""
    client = _client(provider, load_metadata(provider))
    metadata = client.server_metadata
    state = request.GET.get("state", "")
    started = client.framework.get_state_data(request.session, state) if state else None
    if started is None:
        # No log-in waits under this state: forged, replayed, or started in another browser.
        raise IdentityError(
            _(
                "This log-in link is unknown, expired or was already used. "
                "Nothing was changed; please start again."
            )
        )
    error = request.GET.get("error")
    if error:
        client.framework.clear_state_data(request.session, state)
        if error == "access_denied":
            raise IdentityError(
                _("You cancelled the log-in with %(provider)s. Nothing was changed.")
                % {"provider": provider.name}
            )
        raise IdentityError(
            _("%(provider)s refused the log-in (%(error)s). Nothing was changed.")
            % {"provider": provider.name, "error": error[:60]}
        )
    sent_issuer = request.GET.get("iss")
    if sent_issuer is not None and sent_issuer != metadata["issuer"]:
        client.framework.clear_state_data(request.session, state)
        raise _unverifiable(provider)
    claims_options = {
        "iss": {"essential": True, "values": [metadata["issuer"]]},
        "aud": {"essential": True, "values": [provider.client_id]},
    }
    try:
        # Clears the state first: a second use of the same answer finds nothing.
        token = client.authorize_access_token(request, claims_options=claims_options, leeway=60)
    except MismatchingStateError:
        raise IdentityError(
            _(
                "This log-in link is unknown, expired or was already used. "
                "Nothing was changed; please start again."
            )
        ) from None
    except OAuthError as failure:
        if failure.error == "invalid_grant":
            raise IdentityError(
                _(
                    "The answer of %(provider)s has expired or was already used. "
                    "Nothing was changed; please start again."
                )
                % {"provider": provider.name}
            ) from None
        raise _unverifiable(provider) from None
    except requests.RequestException:
        raise _unavailable(provider) from None
    except (JoseError, AuthlibBaseError, ValueError):
        raise _unverifiable(provider) from None
    id_claims = token.get("userinfo")
    if not id_claims or not id_claims.get("sub"):
        raise _unverifiable(provider)
    _check_acr(provider, id_claims.get("acr") or "")
    claims = _user_info(client, provider, token, id_claims)
    return ProviderIdentity(
        subject=str(id_claims["sub"]),
        claims=claims,
        id_token=token["id_token"],
        acr=id_claims.get("acr") or "",
        intent=started.get("intent", "login"),
        started_by=started.get("started_by"),
        next_url=started.get("next_url", ""),
    )


def _eidas_level(value: str) -> int | None:
    return int(value[5:]) if value.startswith("eidas") and value[5:].isdigit() else None


def _check_acr(provider, acr: str) -> None:
    """The level reached must be one asked for, or a higher eIDAS level than the lowest asked."""
    requested = provider.acr_values.split()
    if not requested or acr in requested:
        return
    reached = _eidas_level(acr)
    levels = [level for level in map(_eidas_level, requested) if level is not None]
    if reached is not None and levels and reached >= min(levels):
        return
    raise IdentityError(
        _("%(provider)s did not reach the authentication level this platform asks for. Nothing was changed.")
        % {"provider": provider.name}
    )


def _user_info(client, provider, token: dict, id_claims: dict) -> dict:
    """The user info answer, plain JSON or a signed JWT (FranceConnect v2, ProConnect)."""
    endpoint = client.server_metadata.get("userinfo_endpoint")
    if not endpoint:
        return dict(id_claims)
    try:
        response = client.get(endpoint, token=token)
        response.raise_for_status()
    except requests.RequestException:
        raise _unavailable(provider) from None
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
    try:
        if content_type == "application/jwt":
            keys = KeySet.import_key_set(client.fetch_jwk_set())
            decoded = jwt.decode(response.text.strip(), keys)
            registry = jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": client.server_metadata["issuer"]},
                aud={"essential": True, "values": [provider.client_id]},
            )
            registry.validate(decoded.claims)
            claims = dict(decoded.claims)
        else:
            claims = response.json()
    except (JoseError, ValueError, requests.RequestException):
        raise _unverifiable(provider) from None
    if not isinstance(claims, dict) or claims.get("sub") != id_claims["sub"]:
        # OpenID Connect Core §5.3.2: a user info for someone else must be refused.
        raise _unverifiable(provider)
    return claims


def logout_url(provider, *, id_token: str, post_logout_redirect_uri: str) -> tuple[str, str] | None:
    """The provider's end-session address with ``id_token_hint``, and its state; None without one."""
    try:
        metadata = load_metadata(provider)
    except IdentityError:
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    result = _client(provider, metadata).create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token, state=generate_token(32)
    )
    return result["url"], result["state"]
