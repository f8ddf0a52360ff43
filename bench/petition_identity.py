"""The benchmark's identity source, registered in every process the benchmark starts.

Signing needs a verified identity (``civitas.authorizations.identity``); the OIDC
integration registers FranceConnect's in production. The benchmark registers its own
handler, "bench-identity", whose subject is derived from the account, so that the servers
measure the signing path whole (pseudonym, unique index, counters, receipt) without an
identity provider on loopback.
"""

import datetime

HANDLER = "bench-identity"


def register() -> None:
    from civitas.authorizations.identity import VerifiedIdentity, register_identity_source

    def source(user):
        return VerifiedIdentity(
            HANDLER, f"bench-subject-{user.pk}", birth_date=datetime.date(1980, 1, 1), birth_place="33063"
        )

    register_identity_source(HANDLER, source)
