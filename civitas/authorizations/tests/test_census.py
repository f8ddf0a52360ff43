"""The census list: only keyed hashes are stored; a resident verifies one account."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.authorizations.handlers import (
    CensusError,
    do_replace_census,
    do_verify_with_census,
    is_authorized,
)
from civitas.authorizations.models import Authorization, CensusEntry
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
CENSUS = "identifiant;naissance\nAB-123;01/05/1970\ncd456;1985-12-31\n"


def test_upload_stores_only_keyed_hashes(org_a, admin_a, client_a):
    client_a.force_login(admin_a)
    response = client_a.post(
        "/admin/authorizations/census/", {"file": SimpleUploadedFile("census.csv", CENSUS.encode())}
    )
    assert response.status_code == 302
    digests = list(CensusEntry.objects.filter(organization=org_a).values_list("digest", flat=True))
    assert len(digests) == 2
    unkeyed = {
        hashlib.sha256(text.encode()).hexdigest()
        for text in ("AB-123", "AB-123;1970-05-01", "AB-1231970-05-01", "cd456", "cd456;1985-12-31")
    }
    for digest in digests:
        # A keyed hash: not a plain hash anyone could recompute from a guessed identifier
        # and birth date. (Looking for digits of the identifier in it fails at random.)
        assert re.fullmatch(r"[0-9a-f]{64}", digest) and digest not in unkeyed


def test_bad_census_file_changes_nothing(org_a, admin_a):
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    with pytest.raises(CensusError, match="line 2"):
        do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(b"x;01/01/1990\ny;31/02/1990\n"))
    assert CensusEntry.objects.filter(organization=org_a).count() == 2


def test_a_resident_verifies_one_account_only(org_a, org_b, admin_a, user_a):
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    with pytest.raises(CensusError):
        do_verify_with_census(user=user_a, identifier="AB-123", birth_date=datetime.date(1970, 5, 2))
    assert not is_authorized(user_a, "census")
    do_verify_with_census(user=user_a, identifier=" ab123 ", birth_date=datetime.date(1970, 5, 1))
    assert is_authorized(user_a, "census")
    other = UserFactory(organization=org_a)
    with pytest.raises(CensusError, match="Another account"):
        do_verify_with_census(user=other, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    # Another organization's census is another list, with its own keyed hashes.
    stranger = UserFactory(organization=org_b)
    with pytest.raises(CensusError):
        do_verify_with_census(user=stranger, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    assert Authorization.objects.count() == 1


def test_only_organization_admins_upload(client_a, user_a):
    client_a.force_login(user_a)
    assert client_a.get("/admin/authorizations/census/").status_code == 403
