from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class MajorityJudgmentConfig(AppConfig):
    name = "civitas.components.majority_judgment"
    label = "majority_judgment"
    verbose_name = _("Majority judgment")

    def ready(self):
        from civitas.ballotbox.closers import register_closer
        from civitas.ballotbox.opendata import register_sealed_files
        from civitas.ballotbox.services import discard_before_delete
        from civitas.components.majority_judgment import (
            exports,  # noqa: F401  (registers the GDPR exports)
            services,
        )
        from civitas.components.majority_judgment.manifest import manifest
        from civitas.components.majority_judgment.models import Election, Participation
        from civitas.components.majority_judgment.results import results_visible
        from civitas.components.manifest import registry
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        from civitas.components.majority_judgment import attention

        attention.register()
        discard_before_delete(Election)
        register_searchable(
            "majority_judgment",
            _("Majority-judgment votes"),
            Election,
            document=_majority_judgment_document,
            queryset=lambda: Election.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            position=36,
        )
        # That an account voted, never how: participation records, undated.
        register_participation(
            "majority_judgment_vote",
            _("Majority-judgment votes"),
            lambda: Participation.objects.all(),
            user_field="user",
            space_field="election__component__space",
            date_field=None,
            position=45,
            kind="vote",
            counted=ngettext_lazy(
                "%(count)s majority-judgment vote", "%(count)s majority-judgment votes", "count"
            ),
        )
        register_sealed_files(
            Election,
            visible=results_visible,
            file_url=lambda election: f"{election.component.get_absolute_url()}sealed.jsonl",
        )

        def close(target, user, keys):
            return services.do_close(election=target, user=user, trustee_keys=keys)

        register_closer(Election, close)


def _majority_judgment_document(election):
    """Found by the component's name (what residents call it) and its text; never by answers."""
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = election.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=component.name,
        text=" ".join(
            [
                election.question,
                plain_text(election.description),
                *election.candidates.values_list("title", flat=True),
            ]
        ),
        url=component.get_absolute_url(),
        hidden=not component.is_published,
    )
