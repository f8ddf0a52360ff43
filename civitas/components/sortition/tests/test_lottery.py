"""Compute (task queue), publish, draw with a public seed; the published file reproduces the panel."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from civitas.actionlog.models import ActionLogEntry
from civitas.components.sortition import services
from civitas.components.sortition.lottery import describe_problems, summary, volunteer_probabilities
from civitas.components.sortition.models import FeatureValue, Panel, Volunteer
from civitas.notifications.models import Notification
from civitas.sortition.draw import draw, parse_file

from .conftest import EUROMILLIONS, add_volunteers, in_the_past, publish_earlier

pytestmark = pytest.mark.django_db

POOL = [("Femme", "Jeune", 2), ("Femme", "Âgé", 4), ("Homme", "Jeune", 3), ("Homme", "Âgé", 6)]


def computed(panel, admin, on_commit):
    with on_commit():
        services.do_start_computation(panel=panel, user=admin)
    panel.refresh_from_db()
    return panel


def test_the_whole_draw(panel, panel_component, admin_a, participant, client_a, on_commit):
    volunteers = add_volunteers(panel, POOL)
    online = volunteers[0]
    online.user = participant
    online.save()
    withdrawn = volunteers[-1]
    withdrawn.panel = panel
    services.do_withdraw(volunteer=withdrawn, user=admin_a)

    panel = computed(panel, admin_a, on_commit)
    assert panel.state == Panel.State.COMPUTED and panel.progress == 1
    probabilities = volunteer_probabilities(panel)
    assert withdrawn.code not in probabilities
    assert sum(probabilities.values()) == pytest.approx(4)
    # Two women of four seats → each of the 6 women has 1/3; min is the men's 2/8.
    assert min(probabilities.values()) == pytest.approx(2 / 8, abs=1e-6)

    url = panel_component.get_absolute_url()
    assert client_a.get(url + "lottery.json").status_code == 404  # not public before publication
    publish_earlier(panel, admin_a)
    raw = client_a.get(url + "lottery.json").content
    document = parse_file(raw)
    page = client_a.get(url).content.decode()
    assert panel.lottery_hash in page
    assert "Secret" not in page  # names never on the public page

    with pytest.raises(services.SortitionError) as error:
        services.do_draw(panel=panel, user=admin_a, seed="   ")
    assert "seed" in error.value.errors
    with on_commit():
        services.do_draw(panel=panel, user=admin_a, seed="6 2 5 1 3 3")
    panel.refresh_from_db()
    expected = draw(document, "6 2 5 1 3 3")
    assert panel.selected_codes == expected.panel and panel.alternate_codes == expected.alternates
    assert len(panel.selected_codes) == 4 and len(panel.alternate_codes) == 2
    assert withdrawn.code not in panel.selected_codes + panel.alternate_codes
    drawn = Volunteer.objects.filter(code__in=panel.selected_codes)
    women = sum(
        1 for v in drawn if FeatureValue.objects.get(pk=int(next(iter(v.answers.values())))).label == "Femme"
    )
    assert women == 2
    if online.code in panel.selected_codes + panel.alternate_codes:
        assert Notification.objects.filter(user=participant).exists()
    else:
        assert not Notification.objects.filter(user=participant).exists()
    with translation.override("en"), pytest.raises(services.SortitionError, match="already been drawn"):
        services.do_draw(panel=panel, user=admin_a, seed="1")
    page = client_a.get(url).content.decode()
    assert "python -m civitas.sortition verify" in page
    for code in panel.selected_codes:
        assert code in page
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"sortition.compute", "sortition.publish", "sortition.draw", "sortition.withdraw"} <= actions


def test_another_seed_gives_another_panel(panel, admin_a, on_commit):
    add_volunteers(panel, POOL)
    panel = computed(panel, admin_a, on_commit)
    panels = {tuple(draw(panel.lottery, f"seed {n}").panel) for n in range(10)}
    assert len(panels) > 1


def test_impossible_quotas_are_explained(panel, admin_a, on_commit):
    add_volunteers(panel, [("Femme", "Jeune", 1), ("Homme", "Âgé", 10)])
    panel = computed(panel, admin_a, on_commit)
    assert panel.state == Panel.State.SETUP
    assert describe_problems(panel.problems) == [
        "Genre = Femme needs at least 2 seats but only 1 volunteer has it."
    ]


def test_withdrawal_after_publication_cancels_it_publicly(
    panel, admin_a, on_commit, client_a, panel_component
):
    volunteers = add_volunteers(panel, POOL)
    panel = computed(panel, admin_a, on_commit)
    publish_earlier(panel, admin_a)
    published_hash = panel.lottery_hash
    volunteers[3].panel = panel
    services.do_withdraw(volunteer=volunteers[3], user=admin_a)
    panel.refresh_from_db()
    assert panel.state == Panel.State.SETUP and not panel.lottery_hash
    assert panel.cancelled_publications[0]["hash"] == published_hash
    page = client_a.get(panel_component.get_absolute_url()).content.decode()
    assert published_hash in page
    assert "un volontaire s’est retiré" in page
    with translation.override("en"):  # the page just served switched this thread to French
        assert services.check_can_draw(panel) == "Publish the lottery and its hash before the draw."


def test_a_stale_computation_does_not_overwrite_a_newer_pool(panel, admin_a):
    from civitas.components.sortition.lottery import compute

    add_volunteers(panel, POOL)
    panel.state, panel.computation_token = Panel.State.COMPUTING, "old"
    panel.save()
    services.do_configure(panel=panel, user=admin_a, panel_size=4, alternates=1, method="uniform")
    compute(panel.pk, "old")
    panel.refresh_from_db()
    assert panel.lottery is None and panel.state == Panel.State.SETUP


def test_uniform_mode_and_public_aggregates(panel, admin_a, on_commit):
    add_volunteers(panel, POOL)
    services.do_configure(panel=panel, user=admin_a, panel_size=4, alternates=2, method="uniform")
    panel = computed(panel, admin_a, on_commit)
    assert panel.lottery["method"] == "uniform"
    aggregates = summary(panel)
    assert aggregates["volunteers"] == 15
    genre = aggregates["features"][0]
    assert [entry["volunteers"] for entry in genre["values"]] == [6, 9]


def test_admin_pages_walk_through_the_draw(panel, panel_component, admin_a, client_a, on_commit):
    add_volunteers(panel, POOL)
    client_a.force_login(admin_a)
    base = f"/admin/spaces/{panel_component.space_id}/components/{panel_component.pk}/sortition/"
    assert client_a.get(base).status_code == 200
    with on_commit():
        assert client_a.post(base + "compute/").status_code == 302
    assert client_a.get(base + "status/").json()["state"] == "computed"
    assert "%" in client_a.get(base + "pool/").content.decode()
    with in_the_past():
        announced = timezone.localtime() + timedelta(hours=2)
        response = client_a.post(
            base + "publish/",
            {
                "seed_kind": "public_draw",
                "seed_description": EUROMILLIONS,
                "draw_at": announced.strftime("%Y-%m-%dT%H:%M"),
                "confirm_act": "1",
            },
        )
        assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.state == Panel.State.PUBLISHED and panel.lottery["seed"]["description"] == EUROMILLIONS
    assert EUROMILLIONS in client_a.get(base).content.decode()
    response = client_a.post(base + "draw/", {"seed": "4 4 1", "confirm_act": "1"})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert panel.state == Panel.State.DRAWN
    page = client_a.get(base + "pool/").content.decode()
    assert "alternate 1" in page or "suppléant 1" in page or "suppléant·e 1" in page


def test_open_data_lists_published_draws_without_personal_data(panel, admin_a, on_commit, org_a):
    from civitas.components.sortition.opendata import draw_rows

    add_volunteers(panel, POOL)
    panel = computed(panel, admin_a, on_commit)
    assert list(draw_rows(org_a)) == []  # computed is not published
    publish_earlier(panel, admin_a)
    services.do_draw(panel=panel, user=admin_a, seed="9 9")
    panel.refresh_from_db()
    (row,) = draw_rows(org_a)
    assert row["lottery_sha256"] == panel.lottery_hash
    assert row["panel"].split() == panel.selected_codes
    assert "Secret" not in str(row)


def test_paper_volunteers_drawn_are_told_by_email(panel, admin_a, on_commit, mailoutbox):
    volunteers = add_volunteers(panel, POOL)
    for number, volunteer in enumerate(volunteers):
        volunteer.email = f"v{number}@example.org"
        volunteer.save()
    panel = computed(panel, admin_a, on_commit)
    publish_earlier(panel, admin_a)
    with on_commit():
        services.do_draw(panel=panel, user=admin_a, seed="1 2")
    panel.refresh_from_db()
    by_code = {v.code: v.email for v in volunteers}
    told = sorted(message.to[0] for message in mailoutbox)
    assert told == sorted(by_code[c] for c in panel.selected_codes + panel.alternate_codes)
    first_alternate = next(m for m in mailoutbox if m.to == [by_code[panel.alternate_codes[0]]])
    assert "1" in first_alternate.body and panel.alternate_codes[0] in first_alternate.body
