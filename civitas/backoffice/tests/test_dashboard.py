"""The back-office dashboard: what needs attention (a registry the apps fill), weekly activity
through the statistics registry, recent entries of the action log, shortcuts.

Scoping is the point: another organization's reports never count, and a space admin sees
only what happens in their own spaces. The page's query count does not grow with the data.
"""

import datetime
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.services import log_action
from civitas.core.attention import (
    AttentionItem,
    Scope,
    attention_items,
    register_attention,
    unregister_attention,
)
from civitas.moderation.models import Moderation, Outcome, Reason, Report
from civitas.spaces.models import Space
from civitas.stats.registry import VOTE, register_participation, unregister_participation
from civitas.stats.services import weekly_activity
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
_object_ids = itertools.count(1)


def _report(space, *, held=False, organization=None):
    """A pending report on a contribution of ``space`` (or on an account, when space is None)."""
    moderation = Moderation.objects.create(
        organization=organization or space.organization,
        space=space,
        content_type=ContentType.objects.get_for_model(Space),
        object_id=next(_object_ids),
        report_count=1,
        hidden_at=timezone.now() if held else None,
    )
    Report.objects.create(moderation=moderation, reason=Reason.SPAM, outcome=Outcome.PENDING)
    return moderation


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _counts(html: str) -> dict[str, str]:
    """Attention item text -> the count shown beside it."""
    found = {}
    for chunk in html.split('class="attention-count">')[1:]:
        count, rest = chunk.split("</span>", 1)
        text = rest.split('class="attention-text">', 1)[1].split("<span", 1)[0].split("</span>", 1)[0]
        found[text.strip()] = count.strip()
    return found


def test_a_registered_item_shows_with_its_count_and_link_and_zero_counts_hide(client_a, world):
    def collect(scope):
        assert scope.organization == world.orgs["A"] and scope.whole_organization
        return [
            AttentionItem(count=3, text="test item waiting", url="/admin/log/", where="Somewhere"),
            AttentionItem(count=0, text="test item with nothing", url="/admin/"),
        ]

    register_attention("test_item", collect, position=1)
    try:
        html = _dashboard(client_a, world.users["org_admin"])
    finally:
        unregister_attention("test_item")
    assert _counts(html)["Test item waiting"] == "3"
    assert '<a href="/admin/log/">' in html and "Somewhere" in html
    assert "test item with nothing" not in html.lower()


def test_urgent_items_come_first(world):
    register_attention("test_late", lambda scope: [AttentionItem(1, "late", "/", urgent=True)], position=999)
    register_attention("test_early", lambda scope: [AttentionItem(1, "early", "/")], position=0)
    try:
        scope = Scope(world.orgs["A"], Space.objects.filter(organization=world.orgs["A"]), True)
        texts = [item.text for item in attention_items(scope)]
    finally:
        unregister_attention("test_late")
        unregister_attention("test_early")
    assert texts.index("late") < texts.index("early")


def test_reports_are_counted_in_the_readers_scope_only(client, world):
    s1, s2, s3 = world.spaces["S1"], world.spaces["S2"], world.spaces["S3"]
    _report(s1)
    _report(s2)
    _report(s2, held=True)
    _report(None, organization=world.orgs["A"])  # a reported account
    for _ in range(5):  # the other organization's: never counted on A's dashboard
        _report(s3)
    _report(None, organization=world.orgs["B"])

    client.defaults["HTTP_HOST"] = world.orgs["A"].host
    everything = _counts(_dashboard(client, world.users["org_admin"]))
    assert everything["Contributions signalées à modérer"] == "2"
    assert (
        everything["Contribution retenue (filtre anti-spam ou signalements), en attente d’un modérateur"]
        == "1"
    )
    assert everything["Compte signalé (par des personnes ou la détection du spam)"] == "1"

    own = _counts(_dashboard(client, world.users["space-admin"]))  # admin of S1 only
    assert own == {"Contribution signalée à modérer": "1"}

    client.defaults["HTTP_HOST"] = world.orgs["B"].host
    other = _counts(_dashboard(client, world.users["admin_b"]))
    assert other["Contributions signalées à modérer"] == "5"
    assert other["Compte signalé (par des personnes ou la détection du spam)"] == "1"


def test_without_anything_waiting_the_dashboard_says_so(client_a, world):
    html = _dashboard(client_a, world.users["org_admin"])
    assert 'class="attention-clear"' in html and 'class="attention-list"' not in html


def test_the_query_count_does_not_grow_with_the_data(client_a, world):
    admin = world.users["org_admin"]

    def queries() -> int:
        client_a.force_login(admin)
        with CaptureQueriesContext(connection) as captured:
            assert client_a.get(reverse("backoffice:dashboard")).status_code == 200
        return len(captured)

    _report(world.spaces["S1"])
    log_action(organization=world.orgs["A"], user=admin, action="space.update", target=world.spaces["S1"])
    queries()  # warms what is cached whatever the data (the terms in force, the session)
    few = queries()
    for _ in range(6):
        _report(world.spaces["S1"])
        _report(world.spaces["S2"], held=True)
        log_action(organization=world.orgs["A"], user=admin, action="space.update", target=world.spaces["S2"])
    assert queries() == few


def test_recent_activity_reads_as_sentences_scoped_to_the_readers_spaces(client, world):
    admin = world.users["org_admin"]
    client.defaults["HTTP_HOST"] = world.orgs["A"].host
    log_action(
        organization=world.orgs["A"],
        user=admin,
        action="space.update",
        target=world.spaces["S2"],
        space=world.spaces["S2"],
    )
    html = _dashboard(client, admin)
    recent = html.split('class="activity-list">')[1].split("</ol>")[0]
    assert "maire" in recent and "Title-S2" in recent
    assert "space.update" not in recent  # a sentence, not the code
    assert recent.count("<li>") <= 10
    own = _dashboard(client, world.users["space-admin"])  # S1's admin: S2's entry is not theirs
    assert "Title-S2" not in own.split('id="recent-title"')[1].split("</section>")[0]


def test_activity_counts_contributions_and_votes_per_week_through_the_registry(world):
    """A test action registered as a vote (log entries, which have a user, a space and a date)."""
    organization, s1, s2 = world.orgs["A"], world.spaces["S1"], world.spaces["S2"]
    ActionLogEntry.objects.all().delete()
    register_participation(
        "test_logged",
        "Logged",
        lambda: ActionLogEntry.objects.all(),
        user_field="user",
        space_field="space",
        date_field="created_at",
        kind=VOTE,
    )
    try:
        voter, other = world.users["participant"], world.users["member"]
        now = timezone.now()
        for when, who, space in (
            (now, voter, s1),
            (now, voter, s1),
            (now - datetime.timedelta(weeks=3), other, s2),
            (now - datetime.timedelta(weeks=30), voter, s1),  # too old for the chart; voter is not new
        ):
            entry = ActionLogEntry.objects.create(
                organization=organization, user=who, space=space, action="test", target_type="x"
            )
            ActionLogEntry.objects.filter(pk=entry.pk).update(created_at=when)
        weeks = weekly_activity(organization)
        assert len(weeks) == 12 and weeks[-1].start <= timezone.localdate() < weeks[
            -1
        ].start + datetime.timedelta(7)
        assert [week.votes for week in weeks][-1] == 2
        assert sum(week.votes for week in weeks) == 3
        assert sum(week.new_participants for week in weeks) == 1  # "other", three weeks ago
        assert weeks[-4].new_participants == 1
        only_s1 = weekly_activity(organization, Space.objects.filter(pk=s1.pk))
        assert sum(week.votes for week in only_s1) == 2
        assert weekly_activity(world.orgs["B"])[-1].votes == 0
    finally:
        unregister_participation("test_logged")


def test_write_a_page_shortcut_opens_a_new_page_in_one_of_the_readers_spaces(client, world):
    client.defaults["HTTP_HOST"] = world.orgs["A"].host
    client.force_login(world.users["space-admin"])
    s1, s2 = world.spaces["S1"], world.spaces["S2"]
    response = client.get(reverse("backoffice:page_new"), {"space": s1.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:component_create", args=[s1.pk]) + "?type=pages"
    form = client.get(response["Location"]).content.decode()
    assert '<option value="pages" selected>' in form
    for elsewhere in (s2.pk, world.spaces["S3"].pk, "x"):  # not theirs, another organization's, nonsense
        response = client.get(reverse("backoffice:page_new"), {"space": elsewhere})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Choisissez l’un de vos espaces pour la page." in html
        assert "Title-S1" in html and "Title-S2" not in html and "Title-S3" not in html


def test_a_participant_does_not_see_the_dashboard(client_a, world):
    client_a.force_login(UserFactory(organization=world.orgs["A"]))
    assert client_a.get(reverse("backoffice:dashboard")).status_code == 403
