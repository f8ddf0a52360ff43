"""A volunteer's personal data: in their GDPR export, erased with their account."""

import io
import json
import zipfile

import pytest

from civitas.accounts.services import do_delete_account
from civitas.components.sortition import services
from civitas.components.sortition.models import Panel, Volunteer
from civitas.core.gdpr import build_export

from .conftest import add_volunteers, answers_for

pytestmark = pytest.mark.django_db


def register(panel, participant):
    data = {
        "name": "Paul Martin",
        "phone": "0600000000",
        "consent": True,
        **answers_for(panel, Genre="Homme", Âge="Âgé"),
    }
    return services.do_register(panel=panel, user=participant, data=data)


def test_registration_is_in_the_gdpr_export(panel, participant):
    volunteer = register(panel, participant)
    archive = zipfile.ZipFile(io.BytesIO(build_export(participant)))
    (row,) = json.loads(archive.read("sortition_registrations.json"))
    assert row["code"] == volunteer.code
    assert row["answers"] == "Genre: Homme; Âge: Âgé"
    assert row["phone"] == "0600000000" and row["selected"] is False


def test_deleting_the_account_withdraws_and_erases(panel, participant, admin_a, on_commit):
    add_volunteers(panel, [("Femme", "Jeune", 3), ("Homme", "Âgé", 3), ("Femme", "Âgé", 2)])
    volunteer = register(panel, participant)
    with on_commit():
        services.do_start_computation(panel=panel, user=admin_a)
    panel.refresh_from_db()
    assert panel.state == Panel.State.COMPUTED
    do_delete_account(participant)
    volunteer.refresh_from_db()
    assert volunteer.withdrawn_at is not None
    assert (volunteer.name, volunteer.email, volunteer.phone, volunteer.user) == ("", "", "", None)
    panel.refresh_from_db()
    assert panel.state == Panel.State.SETUP  # the lottery named them: it is discarded
    assert Volunteer.objects.filter(withdrawn_at__isnull=True).count() == 8
