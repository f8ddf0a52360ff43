"""Deleting a component or a phase takes what participants wrote with it: it is confirmed first."""

import pytest

from civitas.components.models import Component
from civitas.spaces.models import Phase
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def test_a_component_or_a_phase_is_deleted_only_with_the_box_ticked(client_a, admin_a, org_a):
    space = published_space(org_a, admin_a, "Budget participatif")
    component = published_component(space, admin_a, "proposals", "Idées")
    phase = Phase.objects.create(space=space, title="Vote", position=5)
    client_a.force_login(admin_a)
    page = client_a.get(f"/admin/spaces/{space.pk}/").content.decode()
    assert page.count('name="confirm_delete"') >= 2 and "ce qu’ont écrit les participants" in page
    base = f"/admin/spaces/{space.pk}"
    refused = client_a.post(f"{base}/components/{component.pk}/delete/", follow=True).content.decode()
    client_a.post(f"{base}/phases/{phase.pk}/delete/")
    assert "Rien n’est supprimé tant que vous n’avez pas coché la case" in refused
    assert Component.objects.filter(pk=component.pk).exists() and Phase.objects.filter(pk=phase.pk).exists()
    client_a.post(f"{base}/components/{component.pk}/delete/", {"confirm_delete": "1"})
    client_a.post(f"{base}/phases/{phase.pk}/delete/", {"confirm_delete": "1"})
    assert (
        not Component.objects.filter(pk=component.pk).exists()
        and not Phase.objects.filter(pk=phase.pk).exists()
    )
