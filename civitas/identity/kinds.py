"""The kinds of identity provider and what each starts with.

FranceConnect and ProConnect are preset with their integration environments, where a
service is tested before the State opens production to it: the organization's admin
replaces the discovery address with production's once FranceConnect (or ProConnect)
has accepted the service. Any other provider is found from its discovery document.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FRANCECONNECT = "franceconnect"
PROCONNECT = "proconnect"
GENERIC = "oidc"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    # The verification (``civitas.authorizations`` handler) a log-in through it grants.
    handler: str
    handler_label: str
    default_name: str
    default_discovery_url: str
    default_scopes: str
    default_acr_values: str


KINDS: dict[str, Kind] = {
    FRANCECONNECT: Kind(
        name=FRANCECONNECT,
        label=_("FranceConnect (citizens)"),
        handler="franceconnect",
        handler_label=_("Identified with FranceConnect"),
        default_name="FranceConnect",
        default_discovery_url="https://fcp-low.sbx.dev-franceconnect.fr/api/v2/.well-known/openid-configuration",
        default_scopes="openid given_name family_name birthdate birthplace email",
        default_acr_values="eidas1",
    ),
    PROCONNECT: Kind(
        name=PROCONNECT,
        label=_("ProConnect (public agents)"),
        handler="proconnect",
        handler_label=_("Identified with ProConnect"),
        default_name="ProConnect",
        default_discovery_url="https://fca.integ01.dev-agentconnect.fr/api/v2/.well-known/openid-configuration",
        default_scopes="openid given_name usual_name email uid siret",
        default_acr_values="eidas1",
    ),
    GENERIC: Kind(
        name=GENERIC,
        label=_("Other OpenID Connect provider"),
        handler="oidc",
        handler_label=_("Identified with the organization's identity provider"),
        default_name="",
        default_discovery_url="",
        default_scopes="openid profile email",
        default_acr_values="",
    ),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.name, kind.label) for kind in KINDS.values()]
