"""Draw N proposals of a proposals component with a public seed, reproducibly."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from civitas.actionlog.models import ActionLogEntry
from civitas.components.manifest import registry
from civitas.components.proposals import services as proposal_services
from civitas.components.services import do_add_component, do_set_component_published
from civitas.components.sortition import proposal_draws, services
from civitas.sortition.draw import draw_items, parse_file
from civitas.testing.components import configure_component

from .conftest import in_the_past, public_draw_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(panel_component, admin_a, participant):
    space = panel_component.space
    source = do_add_component(space=space, user=admin_a, manifest=registry.get("proposals"), name="Idées")
    do_set_component_published(component=source, user=admin_a, published=True)
    configure_component(source, admin_a, creation_enabled=True)
    made = []
    for number in range(6):
        proposal = proposal_services.do_create_draft(
            user=participant, component=source, title=f"Idée {number}", body="<p>Texte</p>"
        )
        proposal_services.do_publish(proposal=proposal, user=participant)
        made.append(proposal)
    return source, made


def test_publish_the_candidates_then_draw(panel_component, admin_a, proposals, client_a):
    source, made = proposals
    with in_the_past():
        draw = proposal_draws.do_create_proposal_draw(
            component=panel_component,
            user=admin_a,
            source=source,
            count=2,
            title="Assemblée du 12 mai",
            rule=public_draw_rule(),
        )
    assert [item["title"] for item in draw.candidates["items"]] == [p.title for p in made]
    url = panel_component.get_absolute_url() + f"proposal-draws/{draw.pk}/"
    raw = client_a.get(url + "list.json").content
    assert parse_file(raw) == draw.candidates
    chosen = proposal_draws.do_draw_proposals(draw=draw, user=admin_a, seed="2 2 6")
    assert chosen == draw_items(draw.candidates, "2 2 6").chosen
    page = client_a.get(url).content.decode()
    titles = {str(p.pk): p.title for p in made}
    assert all(titles[item] in page for item in chosen)
    assert draw.candidates_hash in page
    with translation.override("en"), pytest.raises(services.SortitionError, match="already been drawn"):
        proposal_draws.do_draw_proposals(draw=draw, user=admin_a, seed="1")
    assert ActionLogEntry.objects.filter(action="sortition.proposal_draw").count() == 1


def test_hidden_and_withdrawn_proposals_are_not_candidates(panel_component, admin_a, proposals):
    from django.utils import timezone

    source, made = proposals
    made[0].hidden_at = timezone.now()
    made[0].save()
    made[1].withdrawn_at = timezone.now()
    made[1].save()
    draw = proposal_draws.do_create_proposal_draw(
        component=panel_component, user=admin_a, source=source, count=4, title="T", rule=public_draw_rule()
    )
    assert [item["id"] for item in draw.candidates["items"]] == [str(p.pk) for p in made[2:]]
    with pytest.raises(services.SortitionError, match="between 1 and 4"):
        proposal_draws.do_create_proposal_draw(
            component=panel_component,
            user=admin_a,
            source=source,
            count=5,
            title="T",
            rule=public_draw_rule(),
        )


def test_only_published_proposals_components_of_the_same_space(panel_component, admin_a, proposals, org_a):
    from civitas.components.sortition.tests.conftest import make_panel_component

    source, _made = proposals
    do_set_component_published(component=source, user=admin_a, published=False)
    source.refresh_from_db()
    with pytest.raises(services.SortitionError, match="Publish the proposals component"):
        proposal_draws.do_create_proposal_draw(
            component=panel_component,
            user=admin_a,
            source=source,
            count=1,
            title="T",
            rule=public_draw_rule(),
        )
    elsewhere = make_panel_component(org_a, admin_a, title="Autre espace")
    with pytest.raises(services.SortitionError, match="of this space"):
        proposal_draws.do_create_proposal_draw(
            component=elsewhere, user=admin_a, source=source, count=1, title="T", rule=public_draw_rule()
        )


def test_admin_pages_create_and_draw(panel_component, admin_a, proposals, client_a):
    source, _made = proposals
    client_a.force_login(admin_a)
    base = (
        f"/admin/spaces/{panel_component.space_id}/components/{panel_component.pk}/sortition/proposal-draws/"
    )
    assert client_a.get(base).status_code == 200
    with in_the_past():
        announced = timezone.localtime() + timedelta(hours=2)
        fields = {
            "title": "Tirage",
            "source": str(source.pk),
            "count": "3",
            "seed_kind": "public_draw",
            "seed_description": "Loto du samedi",
            "draw_at": announced.strftime("%Y-%m-%dT%H:%M"),
        }
        # Publishing the list cannot be undone: without the box ticked, the page asks first.
        asked = client_a.post(base, fields)
        assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
        assert 'name="seed_description" value="Loto du samedi"' in asked.content.decode()
        assert not panel_component.proposal_draws.exists()
        response = client_a.post(base, {**fields, "confirm_act": "1"})
    assert response.status_code == 302
    draw = panel_component.proposal_draws.get()
    assert draw.seed_rule["description"] == "Loto du samedi"
    asked = client_a.post(f"{base}{draw.pk}/draw/", {f"draw-{draw.pk}-seed": "1 2 3"})
    assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
    draw.refresh_from_db()
    assert not draw.drawn_at  # drawing lots asks first
    empty = client_a.post(f"{base}{draw.pk}/draw/", {f"draw-{draw.pk}-seed": " ", "confirm_act": "1"})
    assert empty.status_code == 200 and "Ce champ est obligatoire" in empty.content.decode()
    draw.refresh_from_db()
    assert not draw.drawn_at
    response = client_a.post(f"{base}{draw.pk}/draw/", {f"draw-{draw.pk}-seed": "1 2 3", "confirm_act": "1"})
    assert response.status_code == 302
    draw.refresh_from_db()
    assert len(draw.chosen) == 3
