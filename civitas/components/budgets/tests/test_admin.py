"""Admins manage budgets and projects, import accepted proposals; every change is logged."""

from decimal import Decimal

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, Project
from civitas.components.proposals.models import Proposal
from civitas.core.thumbnails import thumbnail_name
from civitas.testing.ballots import register_through_links, trustee_links_in_outbox
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/budgets/{suffix}"


def test_admin_creates_a_budget_and_a_project_and_both_are_logged(client_a, admin_a, budgets_in_preparation):
    budgets_component = budgets_in_preparation
    client_a.force_login(admin_a)
    response = client_a.post(
        _admin_url(budgets_component), {"title": "Nord", "total": "50000", "position": "0"}
    )
    assert response.status_code == 302
    budget = Budget.objects.get(component=budgets_component)
    response = client_a.post(
        _admin_url(budgets_component, f"{budget.pk}/projects/new/"),
        {
            "title": "Aire de jeux",
            "description": "<p>Pour les enfants<script>x</script></p>",
            "amount": "20000",
            "address": "Place du marché",
            "position": "0",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(budget=budget)
    assert "<script>" not in project.description
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"budget.create", "budget_project.create"} <= actions


def test_a_bad_amount_is_refused_and_nothing_is_stored(client_a, admin_a, budgets_component):
    client_a.force_login(admin_a)
    response = client_a.post(_admin_url(budgets_component), {"title": "Nord", "total": "-5", "position": "0"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Budget.objects.exists()


def test_import_accepted_proposals_with_their_cost(client_a, admin_a, budget, org_a):
    configure_component(budget.component, admin_a, voting_enabled=False)  # still being prepared
    space = budget.component.space
    proposals_component = published_component(space, admin_a, "proposals", "Idées")
    author = UserFactory(organization=org_a, nickname="autrice")

    def proposal(title, state, cost):
        from django.utils import timezone

        return Proposal.objects.create(
            component=proposals_component, author=author, title=title, body="<p>Texte</p>", state=state,
            estimated_cost=cost, published_at=timezone.now(), address="Rue haute",
        )  # fmt: skip

    accepted = proposal("Fontaine", Proposal.State.ACCEPTED, Decimal("12000.00"))
    proposal("Refusée", Proposal.State.REJECTED, Decimal("500"))
    proposal("Sans coût", Proposal.State.ACCEPTED, None)
    assert list(services.importable_proposals(budget)) == [accepted]
    client_a.force_login(admin_a)
    url = _admin_url(budget.component, f"{budget.pk}/import/")
    assert client_a.post(url, {"proposals": [accepted.pk]}).status_code == 302
    project = Project.objects.get(budget=budget, title="Fontaine")
    assert project.amount == 12000 and project.address == "Rue haute"
    assert list(project.proposals.all()) == [accepted]
    assert list(services.importable_proposals(budget)) == []
    # Importing again changes nothing.
    assert services.do_import_proposals(budget=budget, user=admin_a, proposals=[accepted]) == []
    assert ActionLogEntry.objects.filter(action="budget_project.import").count() == 1


def test_a_voted_budget_keeps_its_amount(client_a, admin_a, budget, projects, voter):
    services.do_add_project(budget=budget, user=voter, project=projects["Piste cyclable"])
    services.do_checkout(budget=budget, user=voter)
    client_a.force_login(admin_a)
    url = _admin_url(budget.component, f"{budget.pk}/")
    client_a.post(url, {"title": "Centre", "total": "500", "position": "0"})
    budget.refresh_from_db()
    assert budget.total == 1000 and budget.title == "Centre-ville"
    client_a.post(url, {"title": "Centre", "total": "1000", "position": "0"})
    budget.refresh_from_db()
    assert budget.title == "Centre"


def test_a_voted_project_cannot_be_deleted_nor_repriced(budget, projects, voter, admin_a):
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    with pytest.raises(services.BudgetError):
        services.do_delete_project(project=projects["Bancs"], user=admin_a)
    with pytest.raises(services.BudgetError):
        services.do_delete_budget(budget=budget, user=admin_a)
    assert Project.objects.filter(pk=projects["Bancs"].pk).exists()


def test_another_organizations_admin_cannot_reach_the_admin_pages(client_b, budget, org_b):
    client_b.force_login(UserFactory(organization=org_b, is_organization_admin=True))
    assert client_b.get(_admin_url(budget.component)).status_code == 404
    assert client_b.post(_admin_url(budget.component, "close/")).status_code == 404
    assert not budget.__class__.objects.filter(pk=budget.pk, frozen_at__isnull=False).exists()


def test_admin_closes_the_vote_from_the_back_office(client_a, admin_a, budget, projects, voter):
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    client_a.force_login(admin_a)
    assert client_a.get(_admin_url(budget.component)).status_code == 200
    assert client_a.get(_admin_url(budget.component, f"{budget.pk}/")).status_code == 200
    # Closing cannot be undone: without the ticked confirmation, nothing happens.
    assert client_a.post(_admin_url(budget.component, "close/")).status_code == 302
    budget.refresh_from_db()
    assert not budget.is_frozen
    assert client_a.post(_admin_url(budget.component, "close/"), {"confirm_closing": "1"}).status_code == 302
    budget.refresh_from_db()
    assert budget.is_frozen and budget.tally["ballots"] == 1
    assert ActionLogEntry.objects.filter(action="budget.close").exists()


def budget_host(budget) -> str:
    return budget.component.space.organization.host


def test_trustees_hold_a_budgets_key_and_give_it_at_closing(client_a, admin_a, budget, projects, voter):
    north = Budget.objects.create(component=budget.component, title="Quartier nord", total=500)
    Project.objects.create(budget=north, title="Square", amount=400)
    client_a.force_login(admin_a)
    keys_url = _admin_url(budget.component, f"{budget.pk}/keys/")
    names = "Huissier <huissier@example.org>\nConseillère, conseillere@example.org"
    handed = client_a.post(keys_url, {"action": "trustees", "names": names})
    assert handed.status_code == 200 and "no-store" in handed["Cache-Control"]
    links = trustee_links_in_outbox(["huissier@example.org", "conseillere@example.org"])
    assert not any(link in handed.text for link in links)
    shown = register_through_links(links, budget_host(budget))
    budget.refresh_from_db()
    assert budget.key_mode == "trustees"
    assert [trustee["name"] for trustee in budget.trustees] == ["Huissier", "Conseillère"]
    assert all(key.split("key: ")[1] not in str(budget.trustees) for key in shown)  # never stored
    page = client_a.get(_admin_url(budget.component, f"{budget.pk}/")).text
    assert "Huissier" in page and "key-panel" in page
    public = client_a.get(budget.get_absolute_url()).text
    assert "Huissier" in public and "Conseillère" in public  # the public page says who holds the key

    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    close = _admin_url(budget.component, "close/")
    index = client_a.get(_admin_url(budget.component)).text
    assert f'name="trustee-key-{budget.pk}-2"' in index and f"trustee-key-{north.pk}-1" not in index
    # One key missing: refused, naming the trustee, and no budget closes (not even the platform's one).
    refused = client_a.post(
        close, {"confirm_closing": "1", f"trustee-key-{budget.pk}-1": shown[0]}, follow=True
    )
    assert "Conseill" in refused.text
    assert not Budget.objects.filter(frozen_at__isnull=False).exists()
    keys = {f"trustee-key-{budget.pk}-{index}": key for index, key in enumerate(shown, start=1)}
    assert client_a.post(close, {"confirm_closing": "1", **keys}).status_code == 302
    budget.refresh_from_db()
    north.refresh_from_db()
    assert budget.is_frozen and north.is_frozen and budget.tally["ballots"] == 1


def test_the_close_vote_command_closes_a_budget_with_its_trustees_keys(
    admin_a, budget, projects, voter, tmp_path
):
    from django.core.management import call_command

    from civitas.testing.ballots import trustee_key_files

    [bailiff] = trustee_key_files(budget, ["Huissier"])
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    key_file = tmp_path / "huissier.txt"
    key_file.write_text(bailiff, encoding="utf-8")
    options = [f"--admin={admin_a.email}", f"--trustee-key={key_file}"]
    call_command("close_vote", "budgets.budget", str(budget.pk), *options)
    budget.refresh_from_db()
    assert budget.is_frozen and budget.tally["ballots"] == 1


def test_project_admin_page_offers_only_this_spaces_proposals(client_a, admin_a, budget, projects, org_a):
    configure_component(budget.component, admin_a, voting_enabled=False)  # still being prepared
    client_a.force_login(admin_a)
    page = client_a.get(_admin_url(budget.component, f"{budget.pk}/projects/{projects['Bancs'].pk}/"))
    assert page.status_code == 200
    queryset = page.context["form"].fields["proposals"].queryset
    assert set(queryset.values_list("component__space", flat=True)) <= {budget.component.space_id}
    assert client_a.get(_admin_url(budget.component, f"{budget.pk}/projects/new/")).status_code == 200
    response = client_a.post(
        _admin_url(budget.component, f"{budget.pk}/projects/{projects['Bancs'].pk}/delete/"),
        {"confirm_delete": "1"},
    )
    assert response.status_code == 302 and not Project.objects.filter(pk=projects["Bancs"].pk).exists()
    assert ActionLogEntry.objects.filter(action="budget_project.delete").exists()


def test_project_image_is_checked_and_shown(client_a, admin_a, budget):
    configure_component(budget.component, admin_a, voting_enabled=False)  # still being prepared
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    client_a.force_login(admin_a)
    url = _admin_url(budget.component, f"{budget.pk}/projects/new/")
    fields = {"title": "Square fleuri", "amount": "300", "position": "0"}
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    refused = client_a.post(url, {**fields, "image": fake})
    assert refused.status_code == 200 and "image" in refused.context["form"].errors
    assert not Project.objects.filter(title="Square fleuri").exists()
    real = SimpleUploadedFile("square.png", buffer.getvalue(), content_type="image/png")
    fields["image_alt"] = "Un square planté de fleurs"
    assert client_a.post(url, {**fields, "image": real}).status_code == 302
    project = Project.objects.get(title="Square fleuri")
    assert project.image.name.startswith("budgets/")
    page = client_a.get(project.get_absolute_url()).text
    assert thumbnail_name(project.image.name, "card-640") in page
    assert 'alt="Un square planté de fleurs"' in page
