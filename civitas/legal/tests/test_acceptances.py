"""Sign-up records the acceptance of the terms in force; the export carries them; deletion takes them."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model

from civitas.accounts import services as account_services
from civitas.core.gdpr import build_export
from civitas.legal.models import TermsAcceptance
from civitas.legal.tests.conftest import publish
from civitas.testing.captcha import solved_fields

pytestmark = pytest.mark.django_db
User = get_user_model()


def _sign_up(client, org):
    page = client.get("/accounts/signup/").content.decode()
    data = {
        "name": "Zoé Lambert",
        "nickname": "zoe",
        "email": "zoe@example.org",
        "password1": "un mot de passe solide",
        "password2": "un mot de passe solide",
        "accept_terms": "on",
        **solved_fields(page, org),
    }
    return client.post("/accounts/signup/", data)


def test_signing_up_accepts_the_version_in_force(client_a, org_a, admin_a):
    publish(org_a, admin_a, "v1")
    current = publish(org_a, admin_a, "v2")
    assert _sign_up(client_a, org_a)["Location"] == "/accounts/signup/done/"
    user = User.objects.get(organization=org_a, nickname="zoe")
    assert [a.version for a in TermsAcceptance.objects.filter(user=user)] == [current]


def test_signing_up_under_the_built_in_terms_records_no_version(client_a, org_a):
    _sign_up(client_a, org_a)
    user = User.objects.get(organization=org_a, nickname="zoe")
    assert user.accepted_terms_at and not TermsAcceptance.objects.filter(user=user).exists()


def test_acceptances_are_in_the_export_and_go_with_the_account(
    org_a, admin_a, participant, participant_client
):
    version = publish(org_a, admin_a, "v1")
    participant_client.post("/terms/accept/")
    archive = zipfile.ZipFile(io.BytesIO(build_export(participant)))
    rows = json.loads(archive.read("terms_acceptances.json"))
    assert [row["terms_version"] for row in rows] == [1] and rows[0]["accepted_at"]
    written = json.loads(
        zipfile.ZipFile(io.BytesIO(build_export(admin_a))).read("terms_and_help_written.json")
    )
    assert written[0]["kind"] == "terms_version" and written[0]["number"] == 1
    account_services.do_delete_account(participant)
    assert not TermsAcceptance.objects.filter(user=participant).exists()
    assert TermsAcceptance.objects.filter(version=version, user=admin_a).exists()  # the author's stays


def test_an_organization_goes_with_its_terms_and_their_acceptances(org_a, admin_a, participant):
    version = publish(org_a, admin_a, "v1")
    services_accept = TermsAcceptance.objects.create(user=participant, version=version)
    org_a.delete()
    assert not TermsAcceptance.objects.filter(pk=services_accept.pk).exists()
