"""@mentions and replies notify the people concerned, after the commit, never the author."""

import pytest

from civitas.comments import services
from civitas.comments.tests.helpers import add, make_page, page_url
from civitas.notifications.models import Notification
from civitas.spaces.models import Space, SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _notified(kind=None) -> dict[str, list[str]]:
    notifications = Notification.objects.select_related("user").order_by("user__nickname")
    if kind:
        notifications = notifications.filter(kind=kind)
    result: dict[str, list[str]] = {}
    for notification in notifications:
        result.setdefault(notification.user.nickname, []).append(notification.kind)
    return result


def test_mentions_notify_people_of_the_organization(on_commit, user_a, bob, carol, org_b, page):
    UserFactory(organization=org_b, nickname="dave")
    UserFactory(organization=page.component.space.organization, nickname="gone", is_active=False)
    with on_commit():
        comment = add(
            user_a,
            page,
            body="Merci @bob et @Carol ! Pas moi (@alice), ni @dave, ni @gone, ni @personne, "
            "ni bob@example.org, ni https://x.test/@carol.",
        )
    assert _notified() == {"bob": ["comment_mention"], "carol": ["comment_mention"]}
    notification = Notification.objects.filter(user=bob).get()
    assert notification.url.endswith(f"#comment-{comment.pk}")
    assert notification.params["author"] == "Alice Durand"
    assert "Alice Durand" in notification.text and "Règlement" in notification.text


def test_nothing_is_sent_before_the_commit(user_a, bob, page):
    add(user_a, page, body="@bob")  # the test transaction never commits
    assert not Notification.objects.exists()


def test_replies_notify_the_parents_author(on_commit, user_a, bob, carol, page):
    first = add(user_a, page, body="Ma proposition")
    with on_commit():
        reply = add(bob, page, body="Bonne idée @alice", parent=first)
    # The author of the parent hears once, about the reply, even if also mentioned.
    assert _notified() == {"alice": ["comment_reply"]}
    assert Notification.objects.get().url == f"{page_url(page)}?comments_open={first.pk}#comment-{reply.pk}"
    with on_commit():
        add(bob, page, body="Je me réponds à moi-même", parent=reply)
    assert _notified() == {"alice": ["comment_reply"]}
    with on_commit():
        add(carol, page, body="Et moi @carol @bob", parent=reply)
    assert _notified() == {"alice": ["comment_reply"], "bob": ["comment_reply"]}


def test_deleted_parent_author_is_not_notified(on_commit, user_a, bob, page):
    from civitas.accounts.services import do_delete_account

    first = add(user_a, page)
    do_delete_account(user_a)
    with on_commit():
        add(bob, page, body="Réponse", parent=first)
    assert not Notification.objects.exists()


def test_people_who_cannot_read_are_not_notified(on_commit, org_a, admin_a, user_a, bob):
    page = make_page(org_a, admin_a, visibility=Space.Visibility.PRIVATE)
    SpaceRole.objects.create(space=page.component.space, user=user_a, role=SpaceRole.Role.MEMBER)
    user_a = type(user_a).objects.get(pk=user_a.pk)
    with on_commit():
        add(user_a, page, body="Entre membres, @bob n’est pas là, @maire oui")
    assert _notified() == {"maire": ["comment_mention"]}  # an organization admin reads every space


def test_editing_notifies_only_new_mentions(on_commit, user_a, bob, carol, page):
    with on_commit():
        comment = add(user_a, page, body="Bonjour @bob")
    with on_commit():
        services.do_edit_comment(user=user_a, comment=comment, body="Bonjour @bob et @carol")
    assert _notified() == {"bob": ["comment_mention"], "carol": ["comment_mention"]}
