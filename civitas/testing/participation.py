"""Spaces and components set up through the real services, for the tests of many apps."""

from civitas.components.manifest import registry
from civitas.components.services import do_add_component, do_set_component_published
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published
from civitas.testing.components import configure_component


def published_space(organization, admin, title="Budget participatif 2027", *, visibility="public", **fields):
    """A published process with one active phase."""
    space = do_create_space(
        organization=organization, user=admin, kind="process", title=title, visibility=visibility, **fields
    )
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Phase", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    space.refresh_from_db()
    return space


def published_component(space, admin, manifest_name, name="Outil", *, settings=None, **phase_values):
    component = do_add_component(space=space, user=admin, manifest=registry.get(manifest_name), name=name)
    configure_component(component, admin, settings=settings, **phase_values)
    do_set_component_published(component=component, user=admin, published=True)
    component.refresh_from_db()
    return component


def published_proposal(author, component, title, body="Un texte assez long pour une proposition."):
    """A proposal written as a draft, then published, through the real services."""
    from civitas.components.proposals import services

    proposal = services.do_create_draft(user=author, component=component, title=title, body=body)
    services.do_publish(proposal=proposal, user=author)
    return proposal
