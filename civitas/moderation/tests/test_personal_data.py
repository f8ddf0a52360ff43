"""Blocks and account deletion: a deleted account's blocks forget who the person was."""

import pytest

from civitas.accounts.services import do_delete_account
from civitas.moderation.models import UserBlock
from civitas.moderation.services import do_block_user, do_unblock_user

pytestmark = pytest.mark.django_db


def test_deleting_a_once_blocked_account_erases_its_names_from_the_block(admin_a, user_a):
    do_block_user(admin=admin_a, user=user_a, justification="Messages répétés")
    do_unblock_user(admin=admin_a, user=user_a)
    do_delete_account(user_a)
    block = UserBlock.objects.get(user=user_a)
    assert (block.previous_name, block.previous_nickname) == ("", user_a.nickname)
    assert block.justification == "Messages répétés"  # the organization's decision stays


def test_lifting_a_block_after_deletion_does_not_bring_the_person_back(admin_a, user_a):
    do_block_user(admin=admin_a, user=user_a, justification="Messages répétés")
    user_a.refresh_from_db()
    do_delete_account(user_a)
    do_unblock_user(admin=admin_a, user=user_a)
    user_a.refresh_from_db()
    assert user_a.name == "" and user_a.nickname.startswith("deleted-")
