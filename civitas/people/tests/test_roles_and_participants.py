"""Removing organization roles (the last admin stays), and the participants list and export."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.authorizations.models import Authorization
from civitas.moderation.models import Moderation, UserBlock
from civitas.people import participants as listing
from civitas.people import services
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client_a, admin_a):
    client_a.force_login(admin_a)
    return client_a


# --- The last admin, and no lock-out -----------------------------------------------------------


def test_an_admin_removes_another_admin_after_confirming_and_the_person_is_told(
    admin_client, admin_a, org_a, on_commit
):
    other = UserFactory(organization=org_a, is_organization_admin=True, email="adjoint@example.org")
    url = f"/admin/people/roles/{other.pk}/remove/"
    asked = admin_client.post(url, {"role": "organization_admin"})
    assert asked.status_code == 200 and "confirm_delete" in asked.content.decode()
    assert User.objects.get(pk=other.pk).is_organization_admin

    with on_commit():
        done = admin_client.post(url, {"role": "organization_admin", "confirm_delete": "1"})
    assert done.status_code == 302
    assert not User.objects.get(pk=other.pk).is_organization_admin
    entry = ActionLogEntry.objects.get(action="people.role_remove")
    assert entry.user == admin_a and entry.before == {"person": other.nickname, "role": "organization_admin"}
    assert mail.outbox[-1].to == ["adjoint@example.org"] and "pris fin" in mail.outbox[-1].subject


def test_an_admin_cannot_remove_their_own_admin_role(admin_client, admin_a, org_a):
    UserFactory(organization=org_a, is_organization_admin=True)  # not the last one: still refused
    response = admin_client.post(
        f"/admin/people/roles/{admin_a.pk}/remove/", {"role": "organization_admin", "confirm_delete": "1"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=admin_a.pk).is_organization_admin
    assert not ActionLogEntry.objects.filter(action="people.role_remove").exists()


def test_the_last_admin_cannot_be_removed(admin_a, org_a):
    # The other admin is blocked (inactive): they would not count as an admin left.
    blocked_admin = UserFactory(organization=org_a, is_organization_admin=True, is_active=False)
    with pytest.raises(services.PeopleError) as refused:
        services.do_remove_role(admin=blocked_admin, person=admin_a, role="organization_admin")
    assert "au moins un administrateur" in refused.value.message
    assert User.objects.get(pk=admin_a.pk).is_organization_admin


def test_a_user_manager_role_is_removed_and_the_role_works_no_more(admin_client, org_a, client, on_commit):
    manager = UserFactory(organization=org_a, is_user_manager=True)
    manager_client = type(admin_client)(HTTP_HOST=org_a.host)
    manager_client.force_login(manager)
    assert manager_client.get("/admin/people/").status_code == 200
    with on_commit():
        admin_client.post(
            f"/admin/people/roles/{manager.pk}/remove/", {"role": "user_manager", "confirm_delete": "1"}
        )
    assert manager_client.get("/admin/people/").status_code == 403


def test_a_role_of_another_organization_s_account_is_out_of_reach(admin_client, org_b):
    theirs = UserFactory(organization=org_b, is_organization_admin=True)
    response = admin_client.post(
        f"/admin/people/roles/{theirs.pk}/remove/", {"role": "organization_admin", "confirm_delete": "1"}
    )
    assert response.status_code == 404 and User.objects.get(pk=theirs.pk).is_organization_admin


# --- The participants list ---------------------------------------------------------------------


def _people(org, count: int) -> None:
    User.objects.bulk_create(
        [
            User(organization=org, email=f"p{n}@example.org", name=f"Personne {n}", nickname=f"p{n}")
            for n in range(count)
        ]
    )


def _queries(client, url: str) -> int:
    client.get(url)  # the first request of a session fills caches (organization, terms): not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_number_of_queries_with_ten_or_a_thousand_accounts(admin_client, org_a):
    urls = ["/admin/people/", "/admin/people/?verified=no&blocked=no&active=30&q=p1&page=2"]
    _people(org_a, 10)
    few = [_queries(admin_client, url) for url in urls]
    _people_more = [
        User(organization=org_a, email=f"q{n}@example.org", name=f"Q {n}", nickname=f"q{n}")
        for n in range(990)
    ]
    User.objects.bulk_create(_people_more)
    many = [_queries(admin_client, url) for url in urls]
    assert few == many


def test_filters_and_search(org_a, admin_a, user_a):
    now = timezone.now()
    verified = UserFactory(organization=org_a, nickname="verifiee", last_login=now)
    Authorization.objects.create(user=verified, organization=org_a, handler="census", granted_on=now.date())
    blocked = UserFactory(organization=org_a, nickname="bloque", email="bloque@secret.test")
    UserBlock.objects.create(user=blocked, blocked_by=admin_a, justification="x", previous_nickname="bloque")
    reported = UserFactory(organization=org_a, nickname="signale")
    Moderation.objects.create(
        organization=org_a,
        content_type=ContentType.objects.get_for_model(User),
        object_id=reported.pk,
        report_count=2,
    )
    UserFactory(organization=org_a, nickname="efface", deleted_at=now)

    def nicknames(sees_email=True, **data):
        people = listing.participants(org_a, listing.Filters.from_data(data), sees_email=sees_email)
        return sorted(people.values_list("nickname", flat=True))

    assert nicknames() == ["alice", "bloque", "maire", "signale", "verifiee"]
    assert nicknames(verified="yes") == ["verifiee"]
    assert nicknames(blocked="yes") == ["bloque"]
    assert nicknames(reported="yes") == ["signale"]
    assert nicknames(active="30") == ["verifiee"]
    assert nicknames(active="3") == nicknames()  # not one of the choices: ignored
    assert nicknames(q="@ALI") == ["alice"]
    assert nicknames(q="secret.test") == ["bloque"]
    # A user manager finds someone by the address they write from, not by a part of it.
    assert nicknames(sees_email=False, q="secret.test") == []
    assert nicknames(sees_email=False, q="Bloque@Secret.test") == ["bloque"]


def test_the_list_shows_e_mail_addresses_to_admins_only(admin_client, org_a, user_a):
    assert "alice@example.org" in admin_client.get("/admin/people/").content.decode()
    manager = UserFactory(organization=org_a, is_user_manager=True)
    manager_client = type(admin_client)(HTTP_HOST=org_a.host)
    manager_client.force_login(manager)
    body = manager_client.get("/admin/people/").content.decode()
    assert "Alice Durand" in body and "alice@example.org" not in body


# --- The export --------------------------------------------------------------------------------


def _export(client, **filters):
    response = client.post("/admin/people/export/", filters)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_gives_each_role_its_columns_and_is_logged(admin_client, org_a, admin_a, user_a):
    rows = _export(admin_client)
    assert rows[0] == [
        "nickname",
        "name",
        "email",
        "joined",
        "last_login",
        "email_confirmed",
        "verified",
        "blocked",
        "reported",
    ]
    assert sorted(row[:3] for row in rows[1:]) == [
        ["alice", "Alice Durand", "alice@example.org"],
        ["maire", admin_a.name, "maire@example.org"],
    ]
    manager = UserFactory(organization=org_a, is_user_manager=True, nickname="gestion")
    manager_client = type(admin_client)(HTTP_HOST=org_a.host)
    manager_client.force_login(manager)
    rows = _export(manager_client, q="alice")
    assert rows == [
        ["nickname", "name", "joined", "last_login", "email_confirmed", "verified", "blocked", "reported"],
        ["alice", "Alice Durand", timezone.localdate().isoformat(), "", "yes", "no", "no", "no"],
    ]
    assert "@" not in "".join(",".join(row) for row in rows)
    entries = ActionLogEntry.objects.filter(action="people.export").order_by("pk")
    assert [(entry.user, entry.after["rows"]) for entry in entries] == [(admin_a, 2), (manager, 1)]
    assert entries[1].after["filters"] == {"q": "alice"} and "email," not in entries[1].after["columns"]


def test_the_export_neutralises_formulas(admin_client, org_a):
    UserFactory(organization=org_a, nickname="formule", name='=HYPERLINK("http://x")')
    rows = _export(admin_client, q="formule")
    assert rows[1][1].startswith("'=")


def test_a_space_role_given_or_taken_back_on_the_space_s_page_is_e_mailed(
    admin_client, admin_a, org_a, on_commit
):
    from civitas.spaces.models import SpaceRole
    from civitas.spaces.services import do_create_space

    space = do_create_space(organization=org_a, user=admin_a, kind="process", title="Budget 2027")
    person = UserFactory(organization=org_a, nickname="evaluatrice", email="eva@example.org")
    with on_commit():
        admin_client.post(
            f"/admin/spaces/{space.pk}/roles/", {"person": "evaluatrice", "role": "evaluator", "title": ""}
        )
    assert mail.outbox[-1].to == ["eva@example.org"] and "Budget 2027" in mail.outbox[-1].body
    granted = SpaceRole.objects.get(user=person, space=space)
    with on_commit():
        admin_client.post(f"/admin/spaces/{space.pk}/roles/{granted.pk}/revoke/")
    assert len(mail.outbox) == 2 and "n’avez plus le rôle" in mail.outbox[-1].body


def test_a_user_manager_without_the_second_factor_the_organization_requires_holds_no_power(
    client_a, org_a, user_a
):
    org_a.require_admin_two_factor = True
    org_a.save()
    manager = UserFactory(organization=org_a, is_user_manager=True)
    client_a.force_login(manager)
    response = client_a.get("/admin/people/")
    assert response.status_code == 302 and "required=1" in response["Location"]
    assert client_a.post(f"/admin/users/{user_a.pk}/block/", {"justification": "x"}).status_code == 302
    user_a.refresh_from_db()
    assert user_a.is_active


def test_deleting_an_account_deletes_the_invitations_it_accepted(admin_a, org_a, user_a):
    from civitas.accounts.services import do_delete_account
    from civitas.people.models import Invitation

    invitation, _token = services.do_invite(
        organization=org_a, admin=admin_a, email=user_a.email, role="user_manager"
    )
    services.do_accept_invitation(invitation=invitation, user=user_a)
    do_delete_account(User.objects.get(pk=user_a.pk))
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not User.objects.get(pk=user_a.pk).is_user_manager
