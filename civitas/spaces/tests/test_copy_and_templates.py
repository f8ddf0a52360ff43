"""Copying a space (never its participation) and templates that create components too."""

import datetime

import pytest
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.components.models import Component
from civitas.components.pages.models import Page
from civitas.components.proposals import services as proposals
from civitas.components.proposals.models import Proposal, Support
from civitas.spaces.blueprints import BLUEPRINTS, planned_components
from civitas.spaces.models import Phase, ProcessGroup, Space, SpaceRole, Tag
from civitas.spaces.services import do_grant_role
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(org_a, admin_a, user_a):
    """A running process: two phases with dates, proposals configured per phase, a page, participation."""
    space = published_space(
        org_a,
        admin_a,
        "Budget participatif 2026",
        subtitle="Édition 2026",
        description="<p>Le règlement du budget.</p>",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    space.tags.set([Tag.objects.create(organization=org_a, name="quartiers")])
    space.group = ProcessGroup.objects.create(organization=org_a, slug="bp", title="Budgets participatifs")
    space.save()
    first = space.active_phase
    Phase.objects.filter(pk=first.pk).update(
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 3, 31)
    )
    Phase.objects.create(
        space=space,
        title="Vote",
        description="<p>On vote.</p>",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 5, 31),
        position=1,
    )
    ideas = published_component(
        space, admin_a, "proposals", "Idées", settings={"proposal_limit": 4}, creation_enabled=True
    )
    second = space.phases.get(position=1)
    ideas.phase_settings[str(second.pk)] = {
        "creation_enabled": False,
        "supports": "enabled",
        "comments_enabled": False,
    }
    ideas.save()
    rules_page = published_component(space, admin_a, "pages", "Règlement")
    Page.objects.filter(component=rules_page).update(body="<p>Article 1 : chacun propose.</p>")
    proposal = proposals.do_create_draft(
        user=user_a, component=ideas, title="Un kiosque", body="Un texte assez long."
    )
    proposals.do_publish(proposal=proposal, user=user_a)
    do_grant_role(space=space, user=admin_a, person=user_a, role="member")
    return space


def test_an_admin_copies_a_space_with_its_phases_components_and_settings_and_no_participation(
    org_a, admin_a, source
):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    page = client.get(f"/admin/spaces/{source.pk}/copy/").content.decode()
    assert "Aucune participation n’est copiée" in page
    assert 'value="Copie de Budget participatif 2026"' in page

    response = client.post(
        f"/admin/spaces/{source.pk}/copy/",
        {"title": "Copie de Budget participatif 2026", "shift_days": "365"},
    )

    copy = Space.objects.exclude(pk=source.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/admin/spaces/{copy.pk}/"
    assert copy.title == "Copie de Budget participatif 2026"
    assert copy.slug == "copie-de-budget-participatif-2026"
    assert not copy.is_published
    assert (copy.subtitle, copy.description, copy.kind) == (source.subtitle, source.description, "process")
    assert (copy.start_date, copy.end_date) == (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    assert list(copy.tags.values_list("name", flat=True)) == ["quartiers"]
    assert copy.group_id == source.group_id

    old_phases, new_phases = list(source.phases.all()), list(copy.phases.all())
    assert [p.title for p in new_phases] == [p.title for p in old_phases]
    assert [p.description for p in new_phases] == [p.description for p in old_phases]
    assert [p.start_date for p in new_phases] == [datetime.date(2027, 1, 1), datetime.date(2027, 4, 1)]
    assert not {p.pk for p in new_phases} & {p.pk for p in old_phases}
    assert copy.active_phase_id == new_phases[0].pk

    old_ideas = Component.objects.get(space=source, manifest_name="proposals")
    new_ideas = Component.objects.get(space=copy, manifest_name="proposals")
    assert new_ideas.name == "Idées" and not new_ideas.is_published
    assert new_ideas.settings == old_ideas.settings and new_ideas.current_settings()["proposal_limit"] == 4
    # Per-phase settings follow the phases: keyed by the copied phases, values unchanged.
    assert set(new_ideas.phase_settings) == {str(p.pk) for p in new_phases}
    for old, new in zip(old_phases, new_phases, strict=True):
        assert new_ideas.settings_for_phase(new) == old_ideas.settings_for_phase(old)
    assert new_ideas.settings_for_phase(new_phases[0])["creation_enabled"] is True
    assert new_ideas.settings_for_phase(new_phases[1])["supports"] == "enabled"
    # The page's text, written by the admins, comes along.
    assert Page.objects.get(component__space=copy).body == "<p>Article 1 : chacun propose.</p>"

    # No participation at all.
    assert not Proposal.objects.filter(component__space=copy).exists()
    assert not Support.objects.filter(proposal__component__space=copy).exists()
    assert not SpaceRole.objects.filter(space=copy).exists()
    assert Proposal.objects.filter(component__space=source).count() == 1  # the source is untouched

    entry = ActionLogEntry.objects.get(action="space.copy")
    assert entry.space_id == copy.pk and entry.before["copied_from"] == source.pk
    assert "A copié un espace dans un nouveau brouillon" in client.get("/admin/log/").content.decode()


def test_a_copy_with_dates_out_of_the_calendar_is_refused_and_changes_nothing(org_a, admin_a, source):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    spaces = Space.objects.count()
    Space.objects.filter(pk=source.pk).update(end_date=datetime.date(9999, 12, 1))
    response = client.post(f"/admin/spaces/{source.pk}/copy/", {"title": "Copie", "shift_days": "3000"})
    assert response.status_code == 200 and "shift_days" in response.context["form"].errors
    too_far = client.post(f"/admin/spaces/{source.pk}/copy/", {"title": "Copie", "shift_days": "99999"})
    assert too_far.status_code == 200 and "shift_days" in too_far.context["form"].errors
    assert Space.objects.count() == spaces
    assert not ActionLogEntry.objects.filter(action="space.copy").exists()


def test_copying_needs_the_right_to_create_spaces(org_a, org_b, admin_a, source):
    space_admin = UserFactory(organization=org_a, nickname="admin-espace", email="ae@a.test")
    SpaceRole.objects.create(space=source, user=space_admin, role="admin")
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(space_admin)
    assert client.get(f"/admin/spaces/{source.pk}/").status_code == 200
    assert "Copier cet espace" not in client.get(f"/admin/spaces/{source.pk}/").content.decode()
    assert client.get(f"/admin/spaces/{source.pk}/copy/").status_code == 403
    assert (
        client.post(f"/admin/spaces/{source.pk}/copy/", {"title": "X", "shift_days": "0"}).status_code == 403
    )
    other = Client(HTTP_HOST=org_b.host)
    other.force_login(UserFactory(organization=org_b, is_organization_admin=True))
    assert (
        other.post(f"/admin/spaces/{source.pk}/copy/", {"title": "X", "shift_days": "0"}).status_code == 404
    )
    assert Space.objects.count() == 1


@pytest.mark.parametrize("key", sorted(BLUEPRINTS))
def test_every_template_creates_its_phases_and_its_components_with_their_settings(org_a, admin_a, key):
    blueprint = BLUEPRINTS[key]
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    chooser = client.get("/admin/spaces/new/process/").content.decode()
    for plan, manifest in planned_components(blueprint):
        assert f"{plan.name} ({manifest.verbose_name})" in chooser
    response = client.post(
        "/admin/spaces/new/process/",
        {"title": "Nouveau", "visibility": "public", "phase_switching": "manual", "blueprint": key},
    )
    assert response.status_code == 302
    space = Space.objects.get(organization=org_a)
    phases = list(space.phases.all())
    assert len(phases) == len(blueprint.phases)
    components = list(space.components.order_by("position"))
    assert [c.manifest_name for c in components] == [plan.manifest_name for plan in blueprint.components]
    assert len(components) >= 3  # a template is worth little without its tools
    for component, plan in zip(components, blueprint.components, strict=True):
        assert not component.is_published
        for name, value in plan.settings.items():
            assert component.current_settings()[name] == value
        assert set(component.phase_settings) == {str(phase.pk) for phase in phases}
        for index, phase in enumerate(phases):
            expected = {**component.manifest.phase_settings.defaults(), **plan.phase_settings.get(index, {})}
            assert component.settings_for_phase(phase) == expected
    # One entry for the creation, naming what the template made.
    [entry] = ActionLogEntry.objects.filter(space=space)
    assert entry.action == "space.create" and entry.after["blueprint"] == key
    assert entry.after["created_components"] == [c.name for c in components]
    assert "Composants créés par le modèle" in client.get("/admin/log/").content.decode()


def test_the_budget_template_opens_proposals_then_the_vote_in_the_right_phases(org_a, admin_a):
    from civitas.spaces.services import do_create_space

    space = do_create_space(
        organization=org_a, user=admin_a, kind="process", title="BP", blueprint="participatory_budget"
    )
    phases = list(space.phases.all())
    ideas = space.components.get(manifest_name="proposals")
    vote = space.components.get(manifest_name="budgets")
    assert [ideas.settings_for_phase(p)["creation_enabled"] for p in phases] == [False, True] + [False] * 5
    assert [vote.settings_for_phase(p)["voting_enabled"] for p in phases] == [False] * 4 + [
        True,
        False,
        False,
    ]
    assert ideas.current_settings()["proposal_limit"] == 3


def test_a_template_skips_a_component_type_removed_from_the_installation(org_a, admin_a, monkeypatch):
    from civitas.components.manifest import registry
    from civitas.spaces.services import do_create_space

    monkeypatch.delitem(registry._manifests, "budgets")
    space = do_create_space(
        organization=org_a, user=admin_a, kind="process", title="BP", blueprint="participatory_budget"
    )
    assert "budgets" not in set(space.components.values_list("manifest_name", flat=True))
    assert space.components.count() == 3


def test_settings_of_a_copied_component_stay_independent(org_a, admin_a, source):
    from civitas.spaces.services import do_copy_space

    copy = do_copy_space(space=source, user=admin_a, title="Copie")
    new_ideas = Component.objects.get(space=copy, manifest_name="proposals")
    configure_component(new_ideas, admin_a, settings={"proposal_limit": 9})
    assert (
        Component.objects.get(space=source, manifest_name="proposals").current_settings()["proposal_limit"]
        == 4
    )
