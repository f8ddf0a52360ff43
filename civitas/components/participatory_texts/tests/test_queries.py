"""The text page and an article page make the same number of queries for a text of 10
articles as for one of 40, with few comments and amendments or many: a query per article,
per section, per comment or per amendment fails here."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civitas.components.participatory_texts.filling import fill
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def _text(org, admin, on_commit, *, articles, comments, amendments, people):
    with on_commit():
        space = published_space(org, admin, f"Espace {articles}")
        component = published_component(space, admin, "participatory_texts", "Charte", comments_enabled=True)
        plan = fill(
            component,
            admin,
            [person.pk for person in people],
            articles=articles,
            comments=comments,
            amendments=amendments,
        )
    return component, plan


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_pages_make_a_constant_number_of_queries(org_a, admin_a, on_commit):
    people = [UserFactory(organization=org_a) for _ in range(5)]
    small, small_plan = _text(
        org_a, admin_a, on_commit, articles=10, comments=30, amendments=10, people=people
    )
    large, large_plan = _text(
        org_a, admin_a, on_commit, articles=40, comments=400, amendments=100, people=people
    )
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(people[0])  # a resident: the comment form and vote buttons too
    for component in (small, large):  # first requests fill caches (content types, settings)
        client.get(component.get_absolute_url())
    text_small = _queries(client, small.get_absolute_url())
    text_large = _queries(client, large.get_absolute_url())
    assert text_small == text_large
    # The busy article (a tenth of the comments) and one in the middle of the text.
    for plan, component in ((small_plan, small), (large_plan, large)):
        client.get(f"{component.get_absolute_url()}articles/{plan['busy_article']}/")
    busy_small = _queries(client, f"{small.get_absolute_url()}articles/{small_plan['busy_article']}/")
    busy_large = _queries(client, f"{large.get_absolute_url()}articles/{large_plan['busy_article']}/")
    middle_large = _queries(client, f"{large.get_absolute_url()}articles/{large_plan['articles'][20]}/")
    assert busy_small == busy_large
    assert middle_large <= busy_large
    assert text_large < 25 and busy_large < 40
