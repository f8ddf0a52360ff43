"""The pool: online registration with consent, withdrawal, paper double entry, CSV import, privacy."""

import io

import pytest

from civitas.components.sortition import services
from civitas.components.sortition.models import Panel, PaperKeying, Volunteer
from civitas.testing.factories import UserFactory

from .conftest import add_volunteers, answers_for

pytestmark = pytest.mark.django_db


def registration(panel, **extra):
    return {
        "name": "Paul Martin",
        "email": "paul@example.org",
        "consent": True,
        **answers_for(panel, Genre="Homme", Âge="Jeune"),
        **extra,
    }


def test_registration_needs_consent_and_valid_answers(panel, participant):
    with pytest.raises(services.SortitionError) as error:
        services.do_register(panel=panel, user=participant, data=registration(panel, consent=False))
    assert "consent" in error.value.errors
    bad = registration(panel)
    bad[next(k for k in bad if k.startswith("feature_"))] = "999999"
    with pytest.raises(services.SortitionError) as error:
        services.do_register(panel=panel, user=participant, data=bad)
    assert "Genre" in error.value.errors
    assert not Volunteer.objects.exists()
    volunteer = services.do_register(panel=panel, user=participant, data=registration(panel))
    assert volunteer.consent_at and volunteer.source == "online" and len(volunteer.code) == 8
    with pytest.raises(services.SortitionError, match="already in the pool"):
        services.do_register(panel=panel, user=participant, data=registration(panel))


def test_registration_closed_in_a_phase_without_it(panel, panel_component, participant, admin_a):
    from civitas.testing.components import configure_component

    configure_component(panel_component, admin_a, registration_enabled=False)
    panel.component = panel_component
    assert "not open" in services.check_can_register(panel, participant)


def test_online_registration_and_withdrawal_through_the_pages(panel, panel_component, participant, client_a):
    client_a.force_login(participant)
    url = panel_component.get_absolute_url()
    page = client_a.get(url + "volunteer/")
    assert page.status_code == 200
    assert "Paul Martin" in page.content.decode()  # the form is pre-filled
    response = client_a.post(url + "volunteer/", registration(panel))
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user=participant)
    assert volunteer.code in client_a.get(url).content.decode()
    client_a.post(url + "withdraw/")  # without the box ticked: nothing changes
    volunteer.refresh_from_db()
    assert volunteer.withdrawn_at is None
    client_a.post(url + "withdraw/", {"confirm_withdraw": "1"})
    volunteer.refresh_from_db()
    assert volunteer.withdrawn_at is not None


def test_answers_are_visible_to_space_admins_only(
    panel, panel_component, participant, admin_a, client_a, org_a
):
    add_volunteers(panel, [("Femme", "Jeune", 1)])
    secret = Volunteer.objects.get()
    secret.name, secret.phone = "Josette Secret", "0611223344"
    secret.save()
    pool_url = f"/admin/spaces/{panel_component.space_id}/components/{panel_component.pk}/sortition/pool/"
    client_a.force_login(participant)
    assert client_a.get(pool_url).status_code == 403
    assert "Josette" not in client_a.get(panel_component.get_absolute_url()).content.decode()
    other_space_admin = UserFactory(organization=org_a, nickname="voisin")
    from civitas.spaces.services import do_create_space

    do_create_space(organization=org_a, user=other_space_admin, kind="process", title="Autre")
    client_a.force_login(other_space_admin)
    assert client_a.get(pool_url).status_code == 403
    client_a.force_login(admin_a)
    page = client_a.get(pool_url).content.decode()
    assert "Josette Secret" in page and "0611223344" in page


def test_paper_forms_need_two_identical_keyings_by_two_people(panel, admin_a, org_a):
    second = UserFactory(organization=org_a, nickname="denis", is_organization_admin=True)
    form = {
        "name": "Jeanne Papier",
        "phone": "0102030405",
        "consent": True,
        **answers_for(panel, Genre="Femme", Âge="Âgé"),
    }
    services.do_key_paper(panel=panel, user=admin_a, form_number="P-001", data=form)
    assert not Volunteer.objects.exists()
    with pytest.raises(services.SortitionError, match="already keyed"):
        services.do_key_paper(panel=panel, user=admin_a, form_number="P-001", data=form)
    # A typo by the second person: nothing registered, the difference is listed.
    services.do_key_paper(
        panel=panel, user=second, form_number="P-001", data={**form, "name": "Jeanne Papiers"}
    )
    assert not Volunteer.objects.exists()
    assert [number for number, _k in services.paper_status(panel)["differing"]] == ["P-001"]
    wrong = PaperKeying.objects.get(keyed_by=second)
    services.do_delete_keying(keying=wrong, user=second)
    keying = services.do_key_paper(panel=panel, user=second, form_number="P-001", data=form)
    volunteer = Volunteer.objects.get()
    assert keying.volunteer == volunteer
    assert (volunteer.name, volunteer.source, volunteer.user) == ("Jeanne Papier", "paper", None)
    third = UserFactory(organization=org_a, nickname="eve")
    with pytest.raises(services.SortitionError, match="already registered"):
        services.do_key_paper(panel=panel, user=third, form_number="P-001", data=form)
    assert services.paper_status(panel) == {"pending": [], "differing": []}


def test_paper_keying_needs_the_signed_consent(panel, admin_a):
    form = {"name": "Sans Accord", **answers_for(panel, Genre="Femme", Âge="Âgé")}
    with pytest.raises(services.SortitionError) as error:
        services.do_key_paper(panel=panel, user=admin_a, form_number="P-9", data=form)
    assert "consent" in error.value.errors
    assert not PaperKeying.objects.exists()


def csv_file(text):
    return io.BytesIO(text.encode("utf-8"))


def test_csv_import_registers_every_line(panel, admin_a):
    count = services.do_import_csv(
        panel=panel,
        user=admin_a,
        file=csv_file(
            "name;email;phone;consent;Genre;Âge\nAnne;a@example.org;;oui;Femme;Jeune\nBen;;0600;yes;homme;Âgé\n"
        ),
    )
    assert count == 2
    assert sorted(Volunteer.objects.values_list("source", flat=True)) == ["import", "import"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name;consent;Genre\nAnne;oui;Femme\n", "missing: Âge"),
        ("name;consent;Genre;Âge\nAnne;oui;Femme;Jeune\nBen;oui;Robot;Âgé\n", "Line 3: Genre"),
        ("name;consent;Genre;Âge\nAnne;non;Femme;Jeune\n", "Line 2: consent"),
        ("name;consent;Genre;Âge\n", "no volunteer"),
    ],
)
def test_a_bad_csv_file_changes_nothing(panel, admin_a, text, message):
    with pytest.raises(services.SortitionError, match=message):
        services.do_import_csv(panel=panel, user=admin_a, file=csv_file(text))
    assert not Volunteer.objects.exists()


def test_a_non_utf8_file_is_refused(panel, admin_a):
    with pytest.raises(services.SortitionError, match="UTF-8"):
        services.do_import_csv(panel=panel, user=admin_a, file=io.BytesIO("name;é".encode("latin-1")))


def test_withdrawal_discards_a_computed_lottery(panel, admin_a, on_commit):
    volunteers = add_volunteers(panel, [("Femme", "Jeune", 3), ("Homme", "Âgé", 3), ("Femme", "Âgé", 2)])
    with on_commit():
        services.do_start_computation(panel=panel, user=admin_a)
    panel.refresh_from_db()
    assert panel.state == Panel.State.COMPUTED
    volunteers[0].panel = panel
    services.do_withdraw(volunteer=volunteers[0], user=admin_a)
    panel.refresh_from_db()
    assert panel.state == Panel.State.SETUP and panel.lottery is None


def test_online_volunteers_count_as_participation(panel, participant):
    from civitas.stats.registry import all_participations

    volunteer = services.do_register(panel=panel, user=participant, data=registration(panel))
    action = next(a for a in all_participations() if a.key == "sortition_volunteer")
    assert list(action.queryset().values_list("user", flat=True)) == [participant.pk]
    volunteer.panel = panel
    services.do_withdraw(volunteer=volunteer, user=participant)
    assert not action.queryset().exists()
