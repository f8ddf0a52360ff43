"""What search finds of a citizen panel: the panel itself and its public proposal draws.

A panel is found by its component's name, by what the component type is (so that
"tirage au sort" finds every panel) and by the features its quotas are set on; never by
its volunteers, who are private.
"""

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.search.registry import Document, register_searchable


def _panel_document(panel):
    from civitas.components.sortition.manifest import manifest

    component = panel.component
    features = [
        f"{feature.name} {' '.join(value.label for value in feature.values.all())}"
        for feature in panel.features.all()
    ]
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=component.name,
        text=" ".join([str(manifest.verbose_name), plain_text(str(manifest.description)), *features]),
        url=component.get_absolute_url(),
        hidden=not component.is_published,
        date=panel.drawn_at or panel.published_at,
    )


def _draw_document(draw):
    component = draw.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=draw.title,
        text=component.name,
        url=f"{component.get_absolute_url()}proposal-draws/{draw.pk}/",
        hidden=not component.is_published,
        date=draw.published_at,
    )


def _panel_of_feature(feature_id):
    from civitas.components.sortition.models import Feature

    return Feature.objects.filter(pk=feature_id).values_list("panel_id", flat=True).first()


def _feature_changed(sender, instance, **kwargs):
    from civitas.search.indexing import queue

    queue("sortition_panel", instance.panel_id)


def _value_changed(sender, instance, **kwargs):
    from civitas.search.indexing import queue

    panel_id = _panel_of_feature(instance.feature_id)
    if panel_id is not None:  # None while the whole panel is being deleted: that queues it
        queue("sortition_panel", panel_id)


def register() -> None:
    from civitas.components.sortition.models import Feature, FeatureValue, Panel, ProposalDraw

    register_searchable(
        "sortition_panel",
        _("Citizen panels"),
        Panel,
        document=_panel_document,
        queryset=lambda: Panel.objects.select_related("component__space").prefetch_related(
            "features__values"
        ),
        organization_field="component__space__organization",
        component_field="component",
        position=60,
        date_field="published_at",  # drawn panels show their drawing date, later
    )
    register_searchable(
        "sortition_proposal_draw",
        _("Proposals drawn by lot"),
        ProposalDraw,
        document=_draw_document,
        queryset=lambda: ProposalDraw.objects.select_related("component__space"),
        organization_field="component__space__organization",
        component_field="component",
        position=61,
        date_field="published_at",
    )
    # The quotas' features are part of the panel's text.
    for signal in (post_save, post_delete):
        signal.connect(_feature_changed, sender=Feature, weak=False, dispatch_uid=f"search-feature-{signal}")
        signal.connect(_value_changed, sender=FeatureValue, weak=False, dispatch_uid=f"search-value-{signal}")
