"""Every component type's public content is found by search, and only while it is public.

Two checks over the whole kind, so that a component type added later cannot be forgotten:

* every installed component app registers at least one searchable model, tied to its
  component (so that publishing, unpublishing or renaming the component re-indexes it);
* on the demo organization (``seed_demo`` gives every installed type content), every
  published component of a public space has something a visitor finds by its title, in
  the right organization; once the component is unpublished, nobody finds any of it.

A type whose public page shows nothing a resident would search for would go in
``NOT_SEARCHABLE`` with the reason; none does today.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from civitas.components.manifest import registry
from civitas.components.models import Component
from civitas.components.services import do_set_component_published
from civitas.moderation.services import do_block_user
from civitas.organizations.models import Organization
from civitas.search.indexing import rebuild
from civitas.search.models import IndexEntry
from civitas.search.queries import search
from civitas.search.registry import all_searchables, searchable

# Component type → why nothing of it belongs in search.
NOT_SEARCHABLE: dict[str, str] = {}


def _installed_component_types() -> set[str]:
    return {
        config.label for config in apps.get_app_configs() if config.name.startswith("civitas.components.")
    }


def _searchables_of(app_label: str):
    return [entry for entry in all_searchables() if entry.model._meta.app_label == app_label]


def test_every_component_type_registers_what_search_finds():
    installed = _installed_component_types()
    assert installed <= {manifest.name for manifest in registry.all()}
    missing = sorted(name for name in installed - NOT_SEARCHABLE.keys() if not _searchables_of(name))
    assert not missing, f"component types with public content but nothing searchable: {missing}"
    untied = sorted(
        entry.resource_type
        for name in installed
        for entry in _searchables_of(name)
        if entry.component_field is None
    )
    assert not untied, f"searchables that would not follow their component's publication: {untied}"
    # The allow-list names only types that exist and really register nothing.
    assert all(name in installed and not _searchables_of(name) for name in NOT_SEARCHABLE)


def _entries_of(component):
    prefix = component.get_absolute_url()
    return [
        entry
        for entry in IndexEntry.objects.filter(space_id=component.space_id)
        if entry.url.startswith(prefix)
    ]


def _found(user, organization, entry) -> bool:
    result = search(
        user=user,
        organization=organization,
        query=entry.title,
        resource_type=entry.resource_type,
        space_id=entry.space_id,
        per_page=100,
    )
    return entry.pk in {hit.entry.pk for hit in result.hits}


@pytest.mark.django_db
def test_every_public_component_of_the_demo_is_found_and_only_while_published(
    settings, tmp_path, org_b, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    organization = Organization.objects.get(host="localhost")
    rebuild()
    # A rebuild writes entries in date order whatever their type (search takes the newest ids
    # as the most recent matches): every type with dated entries says which field its date
    # comes from, and the rebuilt index is in date order.
    dated = set(IndexEntry.objects.exclude(date=None).values_list("resource_type", flat=True))
    assert not sorted(kind for kind in dated if searchable(kind).date_field is None)
    for entry in all_searchables():
        if entry.date_field:
            assert entry.model._meta.get_field(entry.date_field).concrete, entry.resource_type
    dates = [date for date in IndexEntry.objects.order_by("pk").values_list("date", flat=True) if date]
    assert dates == sorted(dates)
    visitor = AnonymousUser()
    public = Component.objects.filter(
        space__organization=organization,
        space__published_at__isnull=False,
        space__visibility="public",
        published_at__isnull=False,
    ).select_related("space")
    found_types, not_found = set(), []
    for component in public:
        visible = [entry for entry in _entries_of(component) if not entry.hidden]
        if any(_found(visitor, organization, entry) for entry in visible):
            found_types.add(component.manifest_name)
        else:
            not_found.append(f"{component.manifest_name} “{component.name}”")
    assert not not_found, f"published components a visitor finds nothing of: {not_found}"
    assert found_types >= _installed_component_types() - NOT_SEARCHABLE.keys()
    # Tenancy: entries belong to their space's organization; another one never finds them.
    assert all(entry.organization_id == organization.pk for entry in IndexEntry.objects.exclude(space=None))
    sample = IndexEntry.objects.filter(hidden=False).exclude(space=None).first()
    assert search(user=visitor, organization=org_b, query=sample.title).hits == []

    # Unpublishing each component takes everything of it out of search, through the queue.
    admin = organization.users.filter(is_organization_admin=True).first()
    for component in public:
        with django_capture_on_commit_callbacks(execute=True):
            do_set_component_published(component=component, user=admin, published=False)
        still = [entry.title for entry in _entries_of(component) if _found(admin, organization, entry)]
        assert not still, f"{component.manifest_name} unpublished but still found: {still}"


@pytest.mark.django_db
def test_blocking_an_author_takes_everything_they_wrote_out_of_search(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """The whole kind: every indexed resource with an author, whatever its type, on the demo."""
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    organization = Organization.objects.get(host="localhost")
    rebuild()
    visitor = AnonymousUser()
    authored = [
        entry
        for entry in IndexEntry.objects.filter(organization_id=organization.pk, hidden=False)
        .exclude(author_id=None)
        .exclude(resource_type="profile")
        if _found(visitor, organization, entry)
    ]
    kinds = {entry.resource_type for entry in authored}
    assert {"proposal", "petition", "debate"} <= kinds, kinds  # the demo has the kinds to check
    admin = organization.users.filter(is_organization_admin=True).first()
    authors = organization.users.filter(pk__in={entry.author_id for entry in authored}).exclude(
        is_organization_admin=True  # an admin cannot be blocked
    )
    for author in authors:
        with django_capture_on_commit_callbacks(execute=True):
            do_block_user(admin=admin, user=author, justification="Compte de démonstration bloqué à l’essai.")
    blocked = {author.pk for author in authors}
    still = [
        f"{entry.resource_type} “{entry.title}”"
        for entry in authored
        if entry.author_id in blocked and _found(visitor, organization, entry)
    ]
    assert not still, f"written by a blocked account and still found: {still}"
