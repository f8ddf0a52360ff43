from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MajorityJudgmentConfig(AppConfig):
    name = "civitas.components.majority_judgment"
    label = "majority_judgment"
    verbose_name = _("Majority judgment")

    def ready(self):
        from civitas.ballotbox.services import discard_before_delete
        from civitas.components.majority_judgment import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.components.majority_judgment.manifest import manifest
        from civitas.components.majority_judgment.models import Election
        from civitas.components.manifest import registry

        registry.register(manifest)
        discard_before_delete(Election)
        from civitas.components.majority_judgment.models import Participation
        from civitas.stats.registry import register_participation

        # That an account voted, never how: participation records, undated.
        register_participation(
            "majority_judgment_vote",
            _("Majority-judgment votes"),
            lambda: Participation.objects.all(),
            user_field="user",
            space_field="election__component__space",
            date_field=None,
            position=45,
        )
        from civitas.ballotbox.closers import register_closer
        from civitas.components.majority_judgment import services

        def close(target, user, keys):
            return services.do_close(election=target, user=user, trustee_keys=keys)

        register_closer(Election, close)
