import datetime
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.comments.services import do_add_comment
from civitas.components.proposals import services as proposals
from civitas.moderation.services import do_block_user
from civitas.stats import services
from civitas.stats.chart import bar_chart, nice_ceiling
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def component(org_a, admin_a):
    space = published_space(org_a, admin_a, "Budget participatif")
    return published_component(
        space, admin_a, "proposals", "Idées", creation_enabled=True, supports="enabled"
    )


def _publish(author, component, title="Des bancs au parc des Tilleuls"):
    proposal = proposals.do_create_draft(
        user=author, component=component, title=title, body="Installer des bancs à l'ombre."
    )
    proposals.do_publish(proposal=proposal, user=author)
    return proposal


def test_participants_are_distinct_people_with_an_action(org_a, admin_a, component):
    author, supporter, commenter = (UserFactory(organization=org_a) for _ in range(3))
    UserFactory.create_batch(5, organization=org_a)  # signed up, never took part
    proposal = _publish(author, component)
    _publish(author, component, "Une deuxième idée")
    proposals.do_support(proposal=proposal, user=supporter)
    do_add_comment(user=commenter, resource=proposal, body="Bonne idée")
    do_add_comment(user=author, resource=proposal, body="Merci")
    # The admin testing the space (a support, a comment) is not a participant.
    proposals.do_support(proposal=proposal, user=admin_a)
    do_add_comment(user=admin_a, resource=proposal, body="Test de la modération")
    assert services.participant_count(org_a) == 3
    assert services.participant_count(org_a, component.space) == 3
    totals = {total.key: total.count for total in services.action_totals(org_a)}
    assert {key: n for key, n in totals.items() if n} == {"proposal": 2, "support": 1, "comment": 2}


def test_blocked_deleted_and_deactivated_accounts_never_count(org_a, admin_a, component):
    honest, spammer, deleted, inactive = (UserFactory(organization=org_a) for _ in range(4))
    for person in (honest, spammer, deleted, inactive):
        _publish(person, component, f"Idée de {person.nickname}")
    assert services.participant_count(org_a) == 4
    do_block_user(admin=admin_a, user=spammer, justification="Spam")
    deleted.deleted_at = datetime.datetime.now(tz=datetime.UTC)
    deleted.save(update_fields=["deleted_at"])
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    assert services.participant_count(org_a) == 1
    assert {total.key: total.count for total in services.action_totals(org_a)}["proposal"] == 1


def test_scoped_to_the_organization_and_the_space(org_a, org_b, admin_a, component):
    other_space = published_space(org_a, admin_a, "Plan vélo")
    other = published_component(other_space, admin_a, "proposals", "Idées", creation_enabled=True)
    _publish(UserFactory(organization=org_a), component)
    _publish(UserFactory(organization=org_a), other)
    assert services.participant_count(org_a) == 2
    assert services.participant_count(org_a, other_space) == 1
    assert services.participant_count(org_b) == 0


def test_participants_of_every_space_in_one_query_whatever_their_number(
    org_a, admin_a, component, django_assert_num_queries
):
    spaces = [component.space]
    for index in range(4):
        space = published_space(org_a, admin_a, f"Quartier {index}")
        spaces.append(space)
        other = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
        for _ in range(index):
            _publish(UserFactory(organization=org_a), other, f"Idée {index}")
    _publish(UserFactory(organization=org_a), component)
    cache.clear()
    # One query for every space (the union of the registered actions, grouped by space),
    # not one per space: the statistics page lists fifty spaces at national scale.
    with django_assert_num_queries(1):
        counts = services.participants_by_space(org_a, spaces)
    assert counts == {space.pk: services.participant_count(org_a, space) for space in spaces}
    assert list(counts.values()) == [1, 0, 1, 2, 3]
    with django_assert_num_queries(0):
        services.participants_by_space(org_a, spaces[:2])


def test_old_figures_are_served_while_a_task_computes_them_again(org_a, component):
    start = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        cache.clear()
        _publish(UserFactory(organization=org_a), component)
        assert services.summary(org_a)["participants"] == 1
        _publish(UserFactory(organization=org_a), component, "Une autre idée")
        assert services.summary(org_a)["participants"] == 1  # fresh enough
    later = start + datetime.timedelta(seconds=services.CACHE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        # The request that finds them old gets them at once (computing them at national
        # volume takes seconds); the task it queues (run at once in tests) keeps new ones.
        with (
            CaptureQueriesContext(connection) as queries,
            mock.patch.object(services, "_summary_figures", wraps=services._summary_figures) as computed,
        ):
            assert services.summary(org_a)["participants"] == 1
        assert computed.call_count == 1 and queries
        assert services.summary(org_a)["participants"] == 2
        # Until they are old again, no request computes them.
        with mock.patch.object(services, "_summary_figures") as computed:
            services.summary(org_a)
        computed.assert_not_called()


def test_contributions_by_month(org_a, component):
    author = UserFactory(organization=org_a)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC)):
        _publish(author, component, "En mars")
    with time_machine.travel(datetime.datetime(2026, 5, 2, 12, tzinfo=datetime.UTC)):
        proposal = _publish(author, component, "En mai")
        do_add_comment(user=author, resource=proposal, body="Précision")
    months = services.contributions_by_month(org_a, today=datetime.date(2026, 6, 15))
    assert len(months) == 12 and months[-1][0] == datetime.date(2026, 6, 1)
    by_month = dict(months)
    assert by_month[datetime.date(2026, 3, 1)] == {"proposal": 1}
    assert by_month[datetime.date(2026, 5, 1)] == {"proposal": 1, "comment": 1}
    assert by_month[datetime.date(2026, 4, 1)] == {}


def test_chart_geometry():
    assert [nice_ceiling(value) for value in (0, 1, 3, 7, 11, 180)] == [1, 1, 5, 10, 20, 200]
    chart = bar_chart([("a", 5), ("b", 10), ("c", 0)], width=340, height=240)
    tallest = chart.bars[1]
    assert tallest.y == 12.0 and tallest.height == chart.baseline - 12.0
    assert chart.bars[0].height == tallest.height / 2 and chart.bars[2].height == 0
    assert chart.ticks[-1][0] == 10


def test_pages_show_the_numbers_and_respect_private_spaces(client_a, org_a, admin_a, component):
    _publish(UserFactory(organization=org_a), component)
    private = published_space(org_a, admin_a, "Conseil secret", visibility="private")
    cache.clear()
    page = client_a.get("/stats/").content.decode()
    assert (
        'role="img" aria-labelledby="contributions-title' in page
        and "<table>" in page
        and "Budget participatif" in page
    )
    assert "Conseil secret" not in page
    assert client_a.get(f"/stats/spaces/{component.space.slug}/").status_code == 200
    assert client_a.get(f"/stats/spaces/{private.slug}/").status_code == 404
    client_a.force_login(admin_a)
    assert client_a.get(f"/stats/spaces/{private.slug}/").status_code == 200


@pytest.mark.parametrize("top", [1, 3, 8, 10, 37, 120, 999, 4321])
def test_every_grid_line_is_drawn_at_the_whole_number_it_is_labelled(top):
    """The grid once fell on quarters of the top: a line at 2.5 was labelled "2"."""
    chart = bar_chart([("a", top), ("b", 0)], width=340, height=240)
    maximum = chart.ticks[-1][0]
    assert maximum >= top and chart.ticks[0][0] == 0 and 2 <= len(chart.ticks) <= 6
    plot = chart.baseline - chart.ticks[-1][1]
    for value, y in chart.ticks:
        assert isinstance(value, int)
        assert y == pytest.approx(chart.baseline - plot * value / maximum, abs=0.01)
