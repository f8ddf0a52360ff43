"""The reviewer's attack: publish and draw at once with a typed seed, tried offline until the
wanted volunteer is seated. The seed's source is now fixed at publication and the draw
waits for the announced time; commit–reveal secrets must match their commitments."""

import html
import importlib
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone, translation

from civitas.actionlog.models import ActionLogEntry
from civitas.components.sortition import proposal_draws, services
from civitas.components.sortition.models import Panel
from civitas.sortition.draw import (
    TamperedFileError,
    canonical_bytes,
    content_digest,
    draw,
    parse_file,
    rule_draw_at,
    seed_from_reveals,
)

from .conftest import (
    EUROMILLIONS,
    SECRETS,
    add_volunteers,
    commit_reveal_rule,
    in_the_past,
    public_draw_rule,
    publish_earlier,
)
from .test_proposal_draws import proposals  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ASKED = {"confirm_act": "1"}  # publishing and drawing cannot be undone: the box is ticked
POOL = [("Femme", "Jeune", 2), ("Femme", "Âgé", 4), ("Homme", "Jeune", 3), ("Homme", "Âgé", 6)]
ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def computed(panel, admin_a, on_commit):
    add_volunteers(panel, POOL)
    with on_commit():
        services.do_start_computation(panel=panel, user=admin_a)
    panel.refresh_from_db()
    assert panel.state == Panel.State.COMPUTED
    return panel


def admin_url(panel, path=""):
    component = panel.component
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/sortition/{path}"


def nothing_drawn(panel):
    panel.refresh_from_db()
    return (
        panel.state == Panel.State.PUBLISHED
        and not panel.selected_codes
        and not panel.seed
        and not ActionLogEntry.objects.filter(action="sortition.draw").exists()
    )


def test_publishing_then_drawing_at_once_with_a_typed_seed_is_refused(computed, admin_a, client_a):
    client_a.force_login(admin_a)
    # Publishing without fixing the seed's source is not possible.
    page = client_a.post(admin_url(computed, "publish/"), {"seed_kind": "public_draw", **ASKED})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nommez le tirage public" in text and "Ce champ est obligatoire" in text
    computed.refresh_from_db()
    assert computed.state == Panel.State.COMPUTED
    # Nor with a seed that already exists (a time less than an hour away).
    soon = timezone.localtime() + timedelta(minutes=20)
    page = client_a.post(
        admin_url(computed, "publish/"),
        {
            "seed_kind": "public_draw",
            "seed_description": EUROMILLIONS,
            "draw_at": soon.strftime("%Y-%m-%dT%H:%M"),
            **ASKED,
        },
    )
    assert "au moins une heure" in page.content.decode()
    computed.refresh_from_db()
    assert computed.state == Panel.State.COMPUTED

    rule = public_draw_rule()
    services.do_publish(panel=computed, user=admin_a, rule=rule)
    # Draw at once with a typed seed: refused, by the service and by the page.
    with translation.override("en"), pytest.raises(services.SortitionError, match="cannot be entered before"):
        services.do_draw(panel=computed, user=admin_a, seed="3 6 1 4")
    response = client_a.post(admin_url(computed, "draw/"), {"seed": "3 6 1 4", **ASKED}, follow=True)
    assert "ne peut pas être saisie avant" in response.content.decode()
    assert nothing_drawn(computed)
    # Once the announced time has come, the numbers of the announced draw are entered.
    with time_machine.travel(rule_draw_at(rule) + timedelta(minutes=1), tick=False):
        assert services.check_can_draw(computed) is None
        services.do_draw(panel=computed, user=admin_a, seed="3 6 1 4")
    computed.refresh_from_db()
    assert computed.state == Panel.State.DRAWN
    assert computed.selected_codes == draw(computed.lottery, "3 6 1 4").panel


def test_the_published_file_states_the_seed_source_and_catches_edits(computed, admin_a, client_a):
    rule = publish_earlier(computed, admin_a)
    raw = client_a.get(computed.component.get_absolute_url() + "lottery.json").content
    document = parse_file(raw)
    assert document["seed"] == rule
    assert document["seed"]["description"] == EUROMILLIONS
    page = client_a.get(computed.component.get_absolute_url()).content.decode()
    assert EUROMILLIONS in page
    edited = parse_file(raw)
    edited["seed"]["description"] = "les dés que je lancerai chez moi"
    with pytest.raises(TamperedFileError):
        parse_file(canonical_bytes(edited))
    edited["content_sha256"] = content_digest(edited)
    assert parse_file(canonical_bytes(edited))  # resealed: only the published hash tells
    assert canonical_bytes(edited) != raw


def test_an_empty_seed_changes_nothing(computed, admin_a, client_a):
    publish_earlier(computed, admin_a)
    client_a.force_login(admin_a)
    page = client_a.post(admin_url(computed, "draw/"), {"seed": "   ", **ASKED})
    assert page.status_code == 200
    assert "Ce champ est obligatoire" in page.content.decode()
    with translation.override("en"), pytest.raises(services.SortitionError) as error:
        services.do_draw(panel=computed, user=admin_a, seed="")
    assert error.value.errors == {"seed": "Required."}
    assert nothing_drawn(computed)


def test_commit_reveal_a_wrong_secret_draws_nothing(computed, admin_a, client_a, tmp_path):
    rule = publish_earlier(computed, admin_a, make_rule=commit_reveal_rule)
    names = list(SECRETS)
    assert [c["name"] for c in computed.lottery["seed"]["contributors"]] == names
    client_a.force_login(admin_a)
    index_page = client_a.get(admin_url(computed)).content.decode()
    assert "Secret révélé par Groupe d’opposition" in index_page

    wrong = [SECRETS[names[0]], "une-autre-idée", SECRETS[names[2]]]
    with (
        translation.override("en"),
        pytest.raises(services.SortitionError, match="opposition does not") as error,
    ):
        services.do_draw(panel=computed, user=admin_a, reveals=wrong)
    assert set(error.value.errors) == {"reveal_1"}
    page = client_a.post(
        admin_url(computed, "draw/"), {**{f"reveal_{n}": s for n, s in enumerate(wrong)}, **ASKED}
    )
    assert page.status_code == 200
    assert "ne correspond pas" in page.content.decode()
    assert nothing_drawn(computed)

    secrets = list(SECRETS.values())
    response = client_a.post(
        admin_url(computed, "draw/"), {**{f"reveal_{n}": s for n, s in enumerate(secrets)}, **ASKED}
    )
    assert response.status_code == 302
    computed.refresh_from_db()
    seed = seed_from_reveals(rule, secrets)
    assert computed.seed == seed and computed.seed_reveals == secrets
    assert computed.selected_codes == draw(computed.lottery, seed).panel

    # The public page shows each secret beside its commitment, and a command that checks them.
    url = computed.component.get_absolute_url()
    page = client_a.get(url).content.decode()
    assert all(secret in page for secret in secrets)
    assert "verify lottery.json 'sel-de-guérande-7731' 'la-minorité-veille-2026'" in html.unescape(page)
    path = tmp_path / "lottery.json"
    path.write_bytes(client_a.get(url + "lottery.json").content)
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "civitas.sortition",
            "verify",
            str(path),
            *secrets,
            "--hash",
            computed.lottery_hash,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for code in computed.selected_codes:
        assert f"  {code}\n" in result.stdout


def test_commit_reveal_needs_independent_contributors(computed, admin_a, client_a):
    client_a.force_login(admin_a)
    later = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    same = "a" * 64
    for contributors, message in [
        (f"Maire: {same}", "au moins deux"),
        (f"Maire: {same}\nAdjoint: {same}", "un seul secret"),
        ("Maire: 1234\nOpposition: 5678", "64 caractères"),
        ("Maire sans engagement", "deux-points"),
    ]:
        page = client_a.post(
            admin_url(computed, "publish/"),
            {"seed_kind": "commit_reveal", "draw_at": later, "contributors": contributors, **ASKED},
        )
        assert message in page.content.decode(), contributors
    computed.refresh_from_db()
    assert computed.state == Panel.State.COMPUTED


def test_a_lottery_published_without_seed_source_is_withdrawn_publicly(computed, admin_a, client_a):
    migration = importlib.import_module(
        "civitas.components.sortition.migrations.0003_seed_reveals_and_cancel_publications_without_seed_rule"
    )
    # As the platform published it before this change: the state and the bare lottery.
    Panel.objects.filter(pk=computed.pk).update(state=Panel.State.PUBLISHED, published_at=timezone.now())
    computed.refresh_from_db()
    assert services.check_can_draw(computed).startswith("This was published before the seed's source")
    migration.cancel_publications_without_seed_rule(apps, None)
    computed.refresh_from_db()
    assert computed.state == Panel.State.COMPUTED and computed.published_at is None
    assert computed.cancelled_publications[-1]["reason"] == "seed_source"
    page = client_a.get(computed.component.get_absolute_url()).content.decode()
    assert "il ne fixait pas d’où viendrait la graine" in page
    publish_earlier(computed, admin_a)  # published again, with a seed source this time
    services.do_draw(panel=computed, user=admin_a, seed="1 2 3")


def test_proposal_draws_wait_for_the_announced_seed(panel_component, admin_a, proposals):  # noqa: F811
    source, _made = proposals
    rule = commit_reveal_rule()
    draw_record = proposal_draws.do_create_proposal_draw(
        component=panel_component, user=admin_a, source=source, count=2, title="Assemblée", rule=rule
    )
    assert draw_record.candidates["seed"] == rule
    secrets = list(SECRETS.values())
    with pytest.raises(services.SortitionError, match="cannot be entered before"):
        proposal_draws.do_draw_proposals(draw=draw_record, user=admin_a, reveals=secrets)
    with time_machine.travel(rule_draw_at(rule) + timedelta(minutes=5), tick=False):
        with pytest.raises(services.SortitionError, match="does not match"):
            proposal_draws.do_draw_proposals(draw=draw_record, user=admin_a, reveals=[*secrets[:2], "x"])
        draw_record.refresh_from_db()
        assert not draw_record.drawn_at and not draw_record.chosen
        chosen = proposal_draws.do_draw_proposals(draw=draw_record, user=admin_a, reveals=secrets)
    assert len(chosen) == 2
    draw_record.refresh_from_db()
    assert draw_record.seed_reveals == secrets


def test_a_proposal_list_published_without_seed_source_cannot_be_drawn(panel_component, admin_a, proposals):  # noqa: F811
    source, _made = proposals
    with in_the_past():
        draw_record = proposal_draws.do_create_proposal_draw(
            component=panel_component,
            user=admin_a,
            source=source,
            count=1,
            title="T",
            rule=public_draw_rule(),
        )
    legacy = {k: v for k, v in draw_record.candidates.items() if k not in ("seed", "content_sha256")}
    draw_record.candidates = {**legacy, "format": "civitas-sortition-items/1"}
    draw_record.save()
    with pytest.raises(services.SortitionError, match="before the seed's source had to be fixed"):
        proposal_draws.do_draw_proposals(draw=draw_record, user=admin_a, seed="1 2")


def test_a_lottery_that_cannot_be_drawn_is_withdrawn_in_public(computed, admin_a, client_a):
    """A contributor lost their secret: the panel is not stuck, and the withdrawal stays visible."""
    publish_earlier(computed, admin_a, make_rule=commit_reveal_rule)
    published_hash = computed.lottery_hash
    client_a.force_login(admin_a)
    page = client_a.post(admin_url(computed, "cancel-publication/"), {"explanation": "  "})
    assert page.status_code == 200
    computed.refresh_from_db()
    assert computed.state == Panel.State.PUBLISHED
    response = client_a.post(
        admin_url(computed, "cancel-publication/"),
        {"explanation": "Le secret de l’opposition a été perdu."},
    )
    assert response.status_code == 302
    computed.refresh_from_db()
    assert computed.state == Panel.State.SETUP and not computed.lottery
    client_a.logout()
    public = client_a.get(computed.component.get_absolute_url()).content.decode()
    assert published_hash in public and "Le secret de l’opposition a été perdu." in public
    assert "retirée après l’heure à partir de laquelle la graine pouvait être connue" in public
    assert ActionLogEntry.objects.filter(action="sortition.publication_cancel").exists()


def test_a_lottery_whose_public_draw_is_known_cannot_be_withdrawn(computed, admin_a, client_a):
    """The outside review: once the numbers are out, an admin could compute the panel
    offline, withdraw the lottery if the outcome did not suit them and publish it again."""
    publish_earlier(computed, admin_a, make_rule=public_draw_rule)
    client_a.force_login(admin_a)
    client_a.post(admin_url(computed, "cancel-publication/"), {"explanation": "Un tirage qui déplaît."})
    computed.refresh_from_db()
    assert computed.state == Panel.State.PUBLISHED
    with pytest.raises(services.SortitionError, match="numbers are known|numéros"):
        services.do_cancel_publication(panel=computed, user=admin_a, explanation="Un tirage qui déplaît.")
