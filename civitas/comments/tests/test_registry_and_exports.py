"""The registry of commentable resources, cleaning up after deletions, and the GDPR export."""

import io
import json
import zipfile

import pytest

from civitas.comments.models import Comment
from civitas.comments.registry import commentable_for
from civitas.comments.tests.helpers import add, register_pages
from civitas.components.pages.models import Page
from civitas.components.services import do_delete_component
from civitas.core.gdpr import build_export

pytestmark = pytest.mark.django_db


def test_registering_again_is_harmless(page):
    register_pages()
    register_pages()
    entry = commentable_for(page)
    assert entry is commentable_for(Page) and entry.component_of(page) == page.component
    assert commentable_for(page.component) is None


def test_deleting_a_resource_or_its_component_deletes_its_comments(user_a, bob, admin_a, page, org_a):
    from civitas.comments.tests.helpers import make_page

    first = add(user_a, page)
    add(bob, page, parent=first)
    other = make_page(org_a, admin_a, title="Autre")
    kept = add(user_a, other)
    Page.objects.filter(pk=page.pk).get().delete()
    assert list(Comment.objects.all()) == [kept]
    do_delete_component(component=other.component, user=admin_a)
    assert not Comment.objects.exists()


def test_gdpr_export(user_a, bob, page):
    from civitas.comments import services

    mine = add(user_a, page, body="Mon avis", alignment="against")
    services.do_vote(user=bob, comment=mine, value=1)
    theirs = add(bob, page, body="Le leur")
    services.do_vote(user=user_a, comment=theirs, value=-1)
    archive = zipfile.ZipFile(io.BytesIO(build_export(user_a)))
    comments = json.loads(archive.read("comments.json"))
    assert [(row["id"], row["text"], row["position"], row["up_votes"]) for row in comments] == [
        (mine.pk, "Mon avis", "against", 1)
    ]
    assert comments[0]["on"] == "pages.page" and comments[0]["on_id"] == page.pk
    votes = json.loads(archive.read("comment_votes.json"))
    assert votes == [{"comment_id": theirs.pk, "vote": "down", "created_at": votes[0]["created_at"]}]
    assert "comments.csv" in archive.namelist()
