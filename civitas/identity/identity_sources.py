"""The identities providers vouch for, in the shape ``civitas.authorizations.identity`` expects."""

from civitas.authorizations.identity import VerifiedIdentity
from civitas.identity.kinds import KINDS
from civitas.identity.models import IdentityProvider, ProviderAccount


def source_for(kind: str):
    handler = KINDS[kind].handler

    def source(user) -> VerifiedIdentity | None:
        # The organization's own providers only; the oldest link when several of one kind.
        account = (
            ProviderAccount.objects.filter(
                user=user, provider__kind=kind, provider__organization_id=user.organization_id
            )
            .order_by("pk")
            .first()
        )
        if account is None:
            return None
        # Birth date and place are there only when the organization keeps them.
        return VerifiedIdentity(
            handler=handler,
            subject=account.subject,
            birth_date=account.birth_date,
            birth_place=account.birth_place,
            person=account.person_digest,
        )

    return source


def offered_by(kind: str):
    def offered(organization) -> bool:
        # An enabled provider: a disabled one is not shown, so nobody can link it.
        return IdentityProvider.objects.filter(organization=organization, kind=kind, enabled=True).exists()

    return offered
