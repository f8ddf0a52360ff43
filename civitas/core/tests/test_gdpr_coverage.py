"""Every link from a model to a person is answered for by the GDPR export.

Walks every installed model for a concrete foreign key, one-to-one or many-to-many to the
user model: each (model, field) must be covered by a registered data set (its rows are
exported to the person the field names) or withheld by one, with a reason. A model added
later without its share of the export fails here, naming the field.
"""

from django.apps import apps
from django.contrib.auth import get_user_model

from civitas.core.gdpr import registrations


def _links_to_people() -> set[tuple[str, str]]:
    user_model = get_user_model()
    return {
        (model._meta.label, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is user_model
    }


def test_every_link_to_a_person_is_covered_or_withheld_by_the_export():
    covered = {pair for registration in registrations() for pair in registration.covers}
    withheld = {pair for registration in registrations() for pair in registration.withholds}
    links = _links_to_people()
    assert ("comments.Comment", "author") in links  # the walk finds foreign keys…
    assert ("proposals.Proposal", "evaluators") in links  # …and many-to-many fields
    missing = sorted(links - covered - withheld)
    assert not missing, "links to a person that no GDPR export data set covers or withholds:\n" + "\n".join(
        f"  {model}.{field}" for model, field in missing
    )


def test_registrations_name_only_real_links_to_people():
    """A declaration naming a renamed or removed field would hide a gap: it must match a link."""
    links = _links_to_people()
    stale = sorted(
        (registration.name, pair)
        for registration in registrations()
        for pair in registration.covers | set(registration.withholds)
        if pair not in links
    )
    assert not stale, f"declared but not a link to the user model: {stale}"


def test_every_withheld_link_says_why():
    for registration in registrations():
        for pair, reason in registration.withholds.items():
            assert len(reason.split()) >= 5, f"{registration.name} withholds {pair} without a real reason"
