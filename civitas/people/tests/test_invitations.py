"""Invitations to a role: new and existing accounts, and every way a link stops working."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.legal.models import TermsAcceptance
from civitas.legal.services import do_publish_terms
from civitas.people import services
from civitas.people.models import Invitation, InvitedRole
from civitas.people.tokens import hash_token
from civitas.spaces.models import SpaceRole
from civitas.spaces.services import do_create_space
from civitas.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_ACCOUNT = {
    "name": "Nadia Benali",
    "nickname": "nadia",
    "password1": "un mot de passe solide",
    "password2": "un mot de passe solide",
    "accept_terms": "on",
}


def _link_in_last_mail() -> str:
    return re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def _path(link: str) -> str:
    return link.split(".test", 1)[1]


def _invite(client, on_commit, email, role, space=None):
    with on_commit():
        response = client.post(
            "/admin/people/roles/", {"email": email, "role": role, "space": space.pk if space else ""}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return _path(_link_in_last_mail())


@pytest.fixture
def admin_client(client_a, admin_a):
    client_a.force_login(admin_a)
    return client_a


def test_a_new_person_creates_the_account_from_the_link_and_becomes_user_manager(
    admin_client, admin_a, org_a, client, on_commit
):
    do_publish_terms(organization=org_a, user=admin_a, title="CGU", body="<p>Règles</p>", summary="Première")
    path = _invite(admin_client, on_commit, "Nadia@Example.org", InvitedRole.USER_MANAGER)
    invitation = Invitation.objects.get()
    assert mail.outbox[-1].to == ["nadia@example.org"] and "invitation" in mail.outbox[-1].subject
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash  # only the hash

    visitor = type(admin_client)(HTTP_HOST=org_a.host)
    page = visitor.get(path)
    assert page.status_code == 200 and "Créer mon compte et accepter" in page.content.decode()
    refused = visitor.post(path, {**NEW_ACCOUNT, "accept_terms": ""})
    assert refused.status_code == 400 and not User.objects.filter(nickname="nadia").exists()

    with on_commit():
        response = visitor.post(path, NEW_ACCOUNT)
    assert response.status_code == 302 and response["Location"] == "/admin/people/"
    nadia = User.objects.get(organization=org_a, nickname="nadia")
    assert nadia.email == "nadia@example.org" and nadia.is_user_manager and not nadia.is_organization_admin
    assert nadia.email_confirmed_at and nadia.accepted_terms_at
    assert TermsAcceptance.objects.filter(user=nadia, version__number=1).exists()  # as the sign-up does
    assert visitor.get("/admin/people/").status_code == 200  # logged in, and the role works
    assert mail.outbox[-1].to == ["nadia@example.org"] and "nouveau rôle" in mail.outbox[-1].subject
    invitation.refresh_from_db()
    assert invitation.accepted_by == nadia and invitation.state == Invitation.State.ACCEPTED
    actions = list(
        ActionLogEntry.objects.filter(action__startswith="people.")
        .order_by("pk")
        .values_list("action", "user")
    )
    assert actions == [("people.invite", admin_a.pk), ("people.invitation_accept", nadia.pk)]

    # Used once: the same link opens nothing more.
    again = type(admin_client)(HTTP_HOST=org_a.host)
    response = again.get(path)
    assert response.status_code == 410 and "déjà été utilisée" in response.content.decode()
    assert again.post(path, {**NEW_ACCOUNT, "nickname": "autre"}).status_code == 410
    assert User.objects.filter(organization=org_a).count() == 2


def test_an_existing_account_logs_in_then_takes_a_space_role(admin_client, admin_a, org_a, user_a, on_commit):
    space = do_create_space(organization=org_a, user=admin_a, kind="process", title="Budget 2027")
    path = _invite(admin_client, on_commit, "alice@example.org", InvitedRole.SPACE_MODERATOR, space)
    assert "connectez-vous" in mail.outbox[-1].body

    alice = type(admin_client)(HTTP_HOST=org_a.host)
    page = alice.get(path)
    assert "Se connecter pour accepter" in page.content.decode()
    assert alice.post(path).status_code == 200 and not SpaceRole.objects.filter(user=user_a).exists()

    alice.post("/accounts/login/", {"username": "alice@example.org", "password": DEFAULT_PASSWORD})
    with on_commit():
        response = alice.post(path)
    assert response.status_code == 302 and response["Location"] == f"/spaces/{space.slug}/"
    assert SpaceRole.objects.filter(user=user_a, space=space, role="moderator").exists()
    assert mail.outbox[-1].to == ["alice@example.org"]


def test_someone_logged_in_with_another_account_cannot_take_the_invitation(
    admin_client, org_a, user_a, on_commit
):
    path = _invite(admin_client, on_commit, "bruno@example.org", InvitedRole.ORGANIZATION_ADMIN)
    alice = type(admin_client)(HTTP_HOST=org_a.host)
    alice.force_login(user_a)
    assert "autre compte" in alice.get(path).content.decode()
    alice.post(path, NEW_ACCOUNT)
    user_a.refresh_from_db()
    assert not user_a.is_organization_admin and not User.objects.filter(nickname="nadia").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_link_is_refused_and_sending_again_makes_a_new_one(
    admin_client, admin_a, org_a, on_commit
):
    path = _invite(admin_client, on_commit, "nadia@example.org", InvitedRole.USER_MANAGER)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    visitor = type(admin_client)(HTTP_HOST=org_a.host)
    response = visitor.get(path)
    assert response.status_code == 410 and "expiré" in response.content.decode()
    assert visitor.post(path, NEW_ACCOUNT).status_code == 410
    assert not User.objects.filter(nickname="nadia").exists()

    with on_commit():
        admin_client.post(f"/admin/people/invitations/{invitation.pk}/resend/")
    new_path = _path(_link_in_last_mail())
    assert new_path != path and visitor.get(path).status_code == 410  # the old link is forgotten
    assert visitor.post(new_path, NEW_ACCOUNT).status_code == 302
    assert User.objects.get(nickname="nadia").is_user_manager


def test_a_revoked_link_is_refused(admin_client, org_a, on_commit):
    path = _invite(admin_client, on_commit, "nadia@example.org", InvitedRole.ORGANIZATION_ADMIN)
    invitation = Invitation.objects.get()
    response = admin_client.post(f"/admin/people/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    visitor = type(admin_client)(HTTP_HOST=org_a.host)
    response = visitor.post(path, NEW_ACCOUNT)
    assert response.status_code == 410 and "retirée" in response.content.decode()
    assert not User.objects.filter(nickname="nadia").exists()
    assert ActionLogEntry.objects.filter(action="people.invitation_revoke").count() == 1


def test_a_link_opened_on_another_organization_s_host_opens_nothing(
    admin_client, org_a, org_b, client_b, on_commit
):
    path = _invite(admin_client, on_commit, "nadia@example.org", InvitedRole.ORGANIZATION_ADMIN)
    assert client_b.get(path).status_code == 410
    assert client_b.post(path, NEW_ACCOUNT).status_code == 410
    assert not User.objects.filter(nickname="nadia").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_unknown_token_is_refused(client_a):
    response = client_a.get("/invitations/" + "x" * 43 + "/")
    assert response.status_code == 410 and "pas valide" in response.content.decode()


@pytest.mark.parametrize(
    ("email", "role", "space", "message"),
    [
        ("maire@example.org", InvitedRole.ORGANIZATION_ADMIN, None, "already holds this role"),
        ("x@example.org", InvitedRole.SPACE_ADMIN, None, "Choose the space"),
        ("x@example.org", InvitedRole.USER_MANAGER, "own", "held in the whole organization"),
        ("x@example.org", InvitedRole.SPACE_ADMIN, "other", "Choose the space"),
        ("x@example.org", "system_admin", None, "Choose one of the roles"),
    ],
)
def test_bad_invitations_are_refused_with_a_reason(org_a, org_b, admin_a, email, role, space, message):
    spaces = {
        "own": do_create_space(organization=org_a, user=admin_a, kind="process", title="A"),
        "other": do_create_space(organization=org_b, user=admin_a, kind="process", title="B"),
    }
    with (
        pytest.raises(services.PeopleError) as refused,
        __import__("django").utils.translation.override("en"),
    ):
        services.do_invite(organization=org_a, admin=admin_a, email=email, role=role, space=spaces.get(space))
    assert message in refused.value.message
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_role_is_refused_while_the_first_waits(admin_client, on_commit):
    _invite(admin_client, on_commit, "nadia@example.org", InvitedRole.USER_MANAGER)
    response = admin_client.post(
        "/admin/people/roles/", {"email": "nadia@example.org", "role": "user_manager"}
    )
    assert response.status_code == 400 and "renvoyez-la" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_accepted_invitation_cannot_be_revoked_or_sent_again(admin_a, org_a, user_a):
    invitation, _token = services.do_invite(
        organization=org_a, admin=admin_a, email=user_a.email, role=InvitedRole.USER_MANAGER
    )
    services.do_accept_invitation(invitation=invitation, user=user_a)
    for act in (services.do_revoke_invitation, services.do_resend_invitation):
        with pytest.raises(services.PeopleError):
            act(invitation=invitation, admin=admin_a)
    other = UserFactory(organization=org_a)
    with pytest.raises(services.PeopleError):
        services.do_accept_invitation(invitation=invitation, user=other)
    assert not User.objects.get(pk=other.pk).is_user_manager
