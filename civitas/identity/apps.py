from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "civitas.identity"
    label = "identity"
    verbose_name = _("Identity providers")

    def ready(self):
        from civitas.authorizations.handlers import HANDLER_HELP, HANDLERS, VERIFY_PAGES
        from civitas.authorizations.identity import register_identity_source
        from civitas.identity import exports, signals  # noqa: F401  (GDPR export, account deletion)
        from civitas.identity.identity_sources import offered_by, source_for
        from civitas.identity.kinds import KINDS

        # A log-in through a provider verifies the account; any permissioned action can
        # then require it, and acts that need one person (petitions) read the identity.
        for kind in KINDS.values():
            HANDLERS.setdefault(kind.handler, kind.handler_label)
            # Where a participant asked for this verification gets it: linking a provider,
            # which comes back to the action (``?next=``).
            VERIFY_PAGES.setdefault(kind.handler, "identity:settings")
            HANDLER_HELP.setdefault(
                kind.handler,
                _("Link your account to the identity provider below; you will come back here afterwards."),
            )
            register_identity_source(kind.handler, source_for(kind.name), offered_by(kind.name))
