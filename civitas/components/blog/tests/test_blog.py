"""News posts: written by the space's admins, read, commented on and endorsed by residents."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from civitas.actionlog.models import ActionLogEntry
from civitas.comments.services import CommentNotAllowed, do_add_comment
from civitas.components.blog import services
from civitas.components.blog.models import Endorsement, Post
from civitas.components.blog.tasks import index_post_when_due
from civitas.components.blog.tests.conftest import make_post, png
from civitas.homepage.models import HomeBlock
from civitas.opendata.registry import all_datasets
from civitas.search.queries import search
from civitas.spaces.services import do_grant_role
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_base(component) -> str:
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/blog/"


def home_with_news(organization, count=3) -> None:
    HomeBlock.objects.create(
        organization=organization, kind="latest_news", settings={"count": count}, position=0
    )


def found(organization, user, query) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    page = search(user=user or AnonymousUser(), organization=organization, query=query)
    return [hit.document.url for hit in page.hits]


def news_rows(organization) -> list[dict]:
    (dataset,) = [dataset for dataset in all_datasets() if dataset.name == "news_posts"]
    return list(dataset.rows(organization))


def test_an_admin_writes_a_post_with_an_image_and_residents_find_it_everywhere(
    client_a, org_a, admin_a, news, django_capture_on_commit_callbacks
):
    client_a.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        refused = client_a.post(
            f"{admin_base(news)}new/",
            {
                "title": "Le marché de Noël",
                "body": "<p>Place du Marché.</p>",
                "image": png(),
                "signature": "organization",
            },
        )
    assert refused.status_code == 200 and not Post.objects.exists()  # an image needs its description
    now = timezone.localtime()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            f"{admin_base(news)}new/",
            {
                "title": "Le marché de Noël",
                "body": "<p>Place du Marché, <script>alert(1)</script>tout le week-end.</p>",
                "image": png(),
                "image_alt": "Des chalets illuminés",
                "signature": "group",
                "signed_by": "Comité des fêtes",
                "published_at": f"{now - datetime.timedelta(minutes=5):%Y-%m-%dT%H:%M}",
            },
        )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.image and post.image_alt == "Des chalets illuminés" and "<script" not in post.body
    assert ActionLogEntry.objects.filter(action="blog_post.create", target_id=str(post.pk)).count() == 1
    home_with_news(org_a)

    visitor = Client(HTTP_HOST=org_a.host)
    detail = visitor.get(post.get_absolute_url()).content.decode()
    assert "Comité des fêtes" in detail and 'alt="Des chalets illuminés"' in detail
    for url in (news.get_absolute_url(), f"/spaces/{news.space.slug}/", "/"):
        page = visitor.get(url).content.decode()
        assert post.get_absolute_url() in page, url
    feed = visitor.get(f"{news.get_absolute_url()}feed/")
    assert (
        feed["Content-Type"].startswith("application/rss+xml")
        and "Le marché de Noël" in feed.content.decode()
    )
    atom = visitor.get(f"{news.get_absolute_url()}feed/atom/").content.decode()
    assert "Comité des fêtes" in atom and "<script" not in atom
    assert post.get_absolute_url() in found(org_a, None, "marché Noël")
    assert [row["title"] for row in news_rows(org_a)] == ["Le marché de Noël"]


def test_a_scheduled_post_appears_nowhere_before_its_date(
    client_a, org_a, admin_a, user_a, news, django_capture_on_commit_callbacks
):
    home_with_news(org_a)
    make_post(news, "Un article déjà paru", days=-2)
    HUEY.storage.flush_schedule()  # the in-memory queue of tests: only this test's tasks
    with django_capture_on_commit_callbacks(execute=True):
        client_a.force_login(admin_a)
        due = timezone.localtime() + datetime.timedelta(days=3)
        client_a.post(
            f"{admin_base(news)}new/",
            {
                "title": "Fermeture estivale de la piscine",
                "body": "<p>La piscine ferme en août.</p>",
                "signature": "organization",
                "published_at": f"{due:%Y-%m-%dT%H:%M}",
            },
        )
    scheduled = Post.objects.get(title__startswith="Fermeture")
    assert scheduled.is_scheduled
    # Indexed again at its date, by the queue (its document is hidden until then).
    due_tasks = [task for task in HUEY.scheduled() if task.name.endswith("index_post_when_due")]
    assert [(task.args, task.eta) for task in due_tasks] == [
        ((scheduled.pk,), scheduled.published_at.astimezone(datetime.UTC).replace(tzinfo=None))
    ]
    # Its admins see it (with a warning); nobody else does, anywhere.
    assert "Scheduled" in client_a.get(
        scheduled.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode() or ("Programmé" in client_a.get(scheduled.get_absolute_url()).content.decode())
    resident = Client(HTTP_HOST=org_a.host)
    resident.force_login(user_a)

    def visible_places(client) -> set[str]:
        places = set()
        if client.get(scheduled.get_absolute_url()).status_code == 200:
            places.add("page")
        for name, url in (
            ("list", news.get_absolute_url()),
            ("space", f"/spaces/{news.space.slug}/"),
            ("home", "/"),
            ("feed", f"{news.get_absolute_url()}feed/"),
        ):
            if "piscine" in client.get(url).content.decode():
                places.add(name)
        return places

    assert visible_places(resident) == set()
    assert visible_places(Client(HTTP_HOST=org_a.host)) == set()
    assert found(org_a, user_a, "piscine") == []
    assert [row["title"] for row in news_rows(org_a)] == ["Un article déjà paru"]
    assert resident.post(scheduled.get_endorse_url()).status_code == 404
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=user_a, resource=scheduled, body="Trop tôt")

    with time_machine.travel(scheduled.published_at + datetime.timedelta(minutes=1), tick=False):
        index_post_when_due.call_local(scheduled.pk)  # what the queue runs at the post's date
        assert visible_places(resident) == {"page", "list", "space", "home", "feed"}
        assert found(org_a, user_a, "piscine") == [scheduled.get_absolute_url()]
        assert len(news_rows(org_a)) == 2


def test_a_draft_is_seen_by_its_admins_only(client_a, org_a, admin_a, user_a, news):
    draft = Post.objects.create(component=news, title="Brouillon", body="<p>x</p>")
    client_a.force_login(user_a)
    assert client_a.get(draft.get_absolute_url()).status_code == 404
    client_a.force_login(admin_a)
    assert client_a.get(draft.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("who", "endorsements", "comments", "endorse", "comment"),
    [
        ("participant", True, True, True, True),
        ("participant", False, True, False, True),
        ("participant", True, False, True, False),
        ("anonymous", True, True, False, False),
        ("other_organization", True, True, False, False),
    ],
)
def test_endorsing_and_commenting_follow_the_role_and_the_phase(
    org_a, org_b, admin_a, user_a, news, who, endorsements, comments, endorse, comment
):
    configure_component(news, admin_a, endorsements_enabled=endorsements, comments_enabled=comments)
    post = make_post(news)
    person = {"participant": user_a, "other_organization": UserFactory(organization=org_b)}.get(who)
    client = Client(HTTP_HOST=org_a.host)
    if person is not None:
        client.force_login(person)
    response = client.post(post.get_endorse_url())
    assert Endorsement.objects.filter(post=post).exists() is endorse
    post.refresh_from_db()
    assert post.endorsement_count == (1 if endorse else 0)
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    page = client.get(post.get_absolute_url()).content.decode()
    assert ('<form class="comment-form"' in page) is comment
    if person is not None and who == "participant":
        if comment:
            do_add_comment(user=person, resource=post, body="<p>Merci pour l'information.</p>")
            post.refresh_from_db()
            assert post.comment_count == 1
        else:
            with pytest.raises(CommentNotAllowed):
                do_add_comment(user=person, resource=post, body="<p>Fermé</p>")


def test_members_only_take_part_in_a_private_space(org_a, admin_a, user_a, private_news):
    post = make_post(private_news, "Budget interne")
    member = UserFactory(organization=org_a)
    do_grant_role(space=private_news.space, user=admin_a, person=member, role="member")
    outsider = Client(HTTP_HOST=org_a.host)
    outsider.force_login(user_a)
    assert outsider.get(post.get_absolute_url()).status_code == 404
    assert outsider.post(post.get_endorse_url()).status_code == 404
    with pytest.raises(CommentNotAllowed):
        do_add_comment(user=user_a, resource=post, body="<p>x</p>")
    inside = Client(HTTP_HOST=org_a.host)
    inside.force_login(member)
    assert inside.post(post.get_endorse_url()).status_code == 302
    do_add_comment(user=member, resource=post, body="<p>Vu.</p>")
    assert Endorsement.objects.filter(post=post, user=member).exists()


def test_private_spaces_and_other_organizations_never_see_a_post(
    client_b, org_a, org_b, admin_a, user_a, news, private_news, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # indexed for search after commit
        public = make_post(news, "Fête du quartier")
        secret = make_post(private_news, "Arbitrages confidentiels")
    member = UserFactory(organization=org_a)
    do_grant_role(space=private_news.space, user=admin_a, person=member, role="member")
    home_with_news(org_a, count=6)
    home_with_news(org_b, count=6)

    anonymous = Client(HTTP_HOST=org_a.host)
    home = anonymous.get("/").content.decode()
    assert "Fête du quartier" in home and "Arbitrages" not in home
    assert anonymous.get(f"{private_news.get_absolute_url()}feed/").status_code == 404
    assert anonymous.get(f"{private_news.get_absolute_url()}feed/atom/").status_code == 404
    assert found(org_a, None, "Arbitrages") == [] and found(org_a, user_a, "Arbitrages") == []
    assert public.get_absolute_url() in found(org_a, None, "Fête quartier")
    assert [row["title"] for row in news_rows(org_a)] == ["Fête du quartier"]
    inside = Client(HTTP_HOST=org_a.host)
    inside.force_login(member)
    assert "Arbitrages confidentiels" in inside.get("/").content.decode()
    assert found(org_a, member, "Arbitrages") == [secret.get_absolute_url()]

    # Commune B's host knows neither the space nor the posts, nor their images.
    stranger = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(stranger)
    for url in (public.get_absolute_url(), f"{news.get_absolute_url()}feed/", news.get_absolute_url()):
        assert client_b.get(url).status_code == 404, url
    assert "Fête du quartier" not in client_b.get("/").content.decode()
    assert found(org_b, stranger, "quartier") == []
    assert news_rows(org_b) == []
    admin_b_url = f"/admin/spaces/{news.space.pk}/components/{news.pk}/blog/"
    assert client_b.get(admin_b_url).status_code == 404


def test_a_comment_of_a_post_put_back_to_a_later_date_leaves_the_api(client_a, org_a, user_a, news):
    post = make_post(news)
    comment = do_add_comment(user=user_a, resource=post, body="<p>Bonne idée</p>")
    assert client_a.get(f"/api/v1/comments/{comment.pk}/").status_code == 200
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() + datetime.timedelta(days=2))
    assert client_a.get(f"/api/v1/comments/{comment.pk}/").status_code == 404


def test_the_list_and_the_home_block_take_a_fixed_number_of_queries(
    org_a, admin_a, news, django_assert_num_queries
):
    from django.db import connection as default
    from django.test.utils import CaptureQueriesContext

    home_with_news(org_a, count=12)
    visitor = Client(HTTP_HOST=org_a.host)

    def queries(url) -> int:
        visitor.get(url)  # warm the caches (organization, home arrangement)
        with CaptureQueriesContext(default) as captured:
            assert visitor.get(url).status_code == 200
        return len(captured)

    make_post(news, "Premier", image=png(), image_alt="Une photo")
    few = {url: queries(url) for url in ("/", news.get_absolute_url())}
    for index in range(11):
        make_post(news, f"Nouvelle {index}", image=png(), image_alt="Une photo", days=-2 - index)
    many = {url: queries(url) for url in ("/", news.get_absolute_url())}
    assert many == few
    assert "Nouvelle 7" in visitor.get("/").content.decode()
    second = visitor.get(f"{news.get_absolute_url()}?page=2").content.decode()
    assert "Nouvelle 10" in second and "Premier" not in second


def test_endorsing_in_place_with_htmx_and_without_javascript(org_a, user_a, news):
    post = make_post(news)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    answer = client.post(post.get_endorse_url(), HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert answer.status_code == 200 and f'id="endorse-{post.pk}"' in html and 'aria-pressed="true"' in html
    assert 'hx-swap-oob="innerHTML"' in html and "<strong>1</strong>" in html
    again = client.post(post.get_endorse_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<strong>1</strong>" in again  # the second click (a stale page) does not count twice
    back = client.post(post.get_endorse_url(), {"action": "withdraw"})
    assert back.status_code == 302 and back["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert post.endorsement_count == 0 and not Endorsement.objects.exists()
    assert client.post(post.get_endorse_url(), {"action": "withdraw"}).status_code == 302
    post.refresh_from_db()
    assert post.endorsement_count == 0


def test_deleting_a_post_asks_first_and_is_logged(client_a, admin_a, user_a, news):
    post = make_post(news)
    services.do_endorse(post=post, user=user_a)
    client_a.force_login(admin_a)
    url = f"{admin_base(news)}{post.pk}/delete/"
    assert client_a.post(url).status_code == 200 and Post.objects.exists()
    assert client_a.post(url, {"confirm_delete": "1"}).status_code == 302
    assert not Post.objects.exists() and not Endorsement.objects.exists()
    assert ActionLogEntry.objects.filter(action="blog_post.delete").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_endorsement_counts_once(org_a, admin_a):
    from civitas.testing.participation import published_component, published_space

    space = published_space(org_a, admin_a, "Centre-ville")
    component = published_component(space, admin_a, "blog", "Actualités")
    post = make_post(component)
    person = UserFactory(organization=org_a)
    barrier = threading.Barrier(8)
    outcomes = []

    def endorse():
        try:
            barrier.wait()
            services.do_endorse(
                post=Post.objects.select_related("component__space").get(pk=post.pk), user=person
            )
            outcomes.append("ok")
        except services.BlogError:
            outcomes.append("refused")
        except Exception as error:  # a busy database refuses too: nothing stored then
            outcomes.append(f"error: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=endorse) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    post.refresh_from_db()
    assert post.endorsement_count == 1 == Endorsement.objects.filter(post=post).count()
