import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from civitas.testing.captcha import log_in

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_export_is_a_zip_of_json_and_csv_with_all_personal_data(client_a, user_a):
    user_a.about = "Je jardine, « beaucoup »."
    user_a.save()
    client_a.force_login(user_a)
    assert client_a.get("/accounts/settings/my-data/").status_code == 200
    response = client_a.post("/accounts/settings/my-data/")
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"account.json", "account.csv", "README.txt"} <= names
    account = json.loads(archive.read("account.json"))[0]
    assert account["email"] == "alice@example.org" and account["nickname"] == "alice"
    assert account["about"] == "Je jardine, « beaucoup »."
    rows = list(csv.DictReader(io.StringIO(archive.read("account.csv").decode())))
    assert rows[0]["name"] == "Alice Durand"


def test_export_needs_a_post_from_the_account_itself(client_a, user_a):
    assert client_a.post("/accounts/settings/my-data/").status_code == 302  # anonymous → log in


def test_deletion_erases_personal_data_and_closes_sessions(org_a, user_a, password):
    other_device = Client(HTTP_HOST=org_a.host)
    other_device.force_login(user_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    response = client.post("/accounts/settings/delete/", {"password": "wrong"})
    assert response.status_code == 200
    user_a.refresh_from_db()
    assert user_a.deleted_at is None

    response = client.post("/accounts/settings/delete/", {"password": password})
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert user_a.deleted_at is not None and not user_a.is_active
    assert user_a.name == "" and user_a.about == "" and "alice" not in user_a.email
    assert user_a.nickname.startswith("deleted-")
    assert not user_a.has_usable_password()
    assert user_a.public_name in ("Participant supprimé", "Deleted participant")
    assert other_device.get("/accounts/settings/").status_code == 302
    assert client.get("/profiles/alice/").status_code == 404
    assert log_in(client, org_a, "alice@example.org", password).status_code == 200
    # The row stays, so contributions keep their author, shown as deleted.
    assert User.objects.filter(pk=user_a.pk).exists()


def test_deleted_email_can_sign_up_again(org_a, user_a):
    from civitas.accounts.services import do_delete_account

    do_delete_account(user_a)
    assert not User.objects.filter(organization=org_a, email__iexact="alice@example.org").exists()
