"""Postal letter codes: printed once, stored as keyed hashes, single-use, expiring, throttled."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civitas.authorizations.handlers import is_authorized
from civitas.authorizations.letters import (
    LetterError,
    blur_used_codes,
    do_generate_letters,
    do_revoke_batch,
    do_verify_with_letter,
)
from civitas.authorizations.models import Authorization, LetterBatch, LetterCode
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
ADDRESSES = (
    "nom;adresse;code_postal;ville;quartier\n"
    "Jeanne Martin;3 rue des Lilas;75020;Paris;Belleville\n"
    "Karim Benali;12 avenue Gambetta;75020;Paris;Père-Lachaise\n"
)


def _letters(org, admin, text=ADDRESSES, days=30):
    return do_generate_letters(
        organization=org,
        user=admin,
        file=io.BytesIO(text.encode()),
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
    )


def test_admin_gets_one_letter_per_page_and_only_keyed_hashes_stay(client_a, org_a, admin_a):
    client_a.force_login(admin_a)
    response = client_a.post(
        "/admin/authorizations/letters/",
        {
            "file": SimpleUploadedFile("adresses.csv", ADDRESSES.encode()),
            "expires_on": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert html.count('class="letter"') == 2 and "3 rue des Lilas" in html
    codes = re.findall(r'<p class="code">([0-9A-Z-]+)</p>', html)
    assert len(codes) == 2 and all(
        re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code) for code in codes
    )
    rows = list(LetterCode.objects.filter(organization=org_a))
    assert len(rows) == 2
    stored = {value for row in rows for value in (row.digest, row.district)}
    for code in codes:
        plain = code.replace("-", "")
        assert plain not in str(stored) and hashlib.sha256(plain.encode()).hexdigest() not in stored
    assert {row.district for row in rows} == {"Belleville", "Père-Lachaise"}
    # Addresses are not stored anywhere.
    assert "Lilas" not in str(list(LetterBatch.objects.values()))


def test_a_code_verifies_one_account_once_with_its_district(org_a, admin_a, user_a):
    _batch, letters = _letters(org_a, admin_a)
    code = letters[0].printed_code.lower().replace("-", " ")  # typed loosely
    do_verify_with_letter(user=user_a, code=code)
    assert is_authorized(user_a, "letter")
    assert Authorization.objects.get(user=user_a).district == "Belleville"
    other = UserFactory(organization=org_a)
    with pytest.raises(LetterError, match="already been used"):
        do_verify_with_letter(user=other, code=letters[0].code)
    assert not is_authorized(other, "letter")
    # No column pairs the account with the code: the code row names no account.
    assert {field.name for field in LetterCode._meta.get_fields()} == {
        "id",
        "organization",
        "batch",
        "digest",
        "district",
        "used",
    }
    assert blur_used_codes() == 1
    assert LetterCode.objects.filter(used=True).count() == 1


def test_wrong_malformed_expired_and_revoked_codes(org_a, admin_a, user_a):
    batch, letters = _letters(org_a, admin_a)
    with pytest.raises(LetterError, match="12 letters"):
        do_verify_with_letter(user=user_a, code="ABC")
    with pytest.raises(LetterError, match="not valid"):
        do_verify_with_letter(user=user_a, code="2222-2222-2222")
    LetterBatch.objects.filter(pk=batch.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(LetterError, match="expired"):
        do_verify_with_letter(user=user_a, code=letters[0].code)
    fresh_batch, fresh = _letters(org_a, admin_a)
    assert do_revoke_batch(organization=org_a, user=admin_a, batch_id=fresh_batch.pk) == 2
    with pytest.raises(LetterError, match="not valid"):
        do_verify_with_letter(user=user_a, code=fresh[1].code)
    assert not Authorization.objects.exists()


def test_a_code_works_in_its_organization_only(org_a, org_b, admin_a):
    _batch, letters = _letters(org_a, admin_a)
    stranger = UserFactory(organization=org_b)
    with pytest.raises(LetterError, match="not valid"):
        do_verify_with_letter(user=stranger, code=letters[0].code)
    assert not LetterCode.objects.filter(used=True).exists()


def test_other_organizations_cannot_print_see_or_revoke(client_b, org_a, org_b, admin_a):
    batch, _letters_a = _letters(org_a, admin_a)
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    assert list(client_b.get("/admin/authorizations/letters/").context["batches"]) == []
    assert client_b.post(f"/admin/authorizations/letters/{batch.pk}/revoke/").status_code == 404
    assert LetterCode.objects.filter(batch=batch).count() == 2
    participant = UserFactory(organization=org_b)
    client_b.force_login(participant)
    assert client_b.get("/admin/authorizations/letters/").status_code == 403


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name;address;city\nA;B;C\n", "postal_code"),
        (b"name;address;postal_code;city\nJeanne;;75020;Paris\n", "line 2"),
        ("nom;adresse;code_postal;ville\nJ\xe9r\xf4me;1 rue;75020;Paris\n".encode("latin-1"), "UTF-8"),
        (b"", "no address"),
        (b"name;address;postal_code;city\n", "no address"),
        (b'name,address,postal_code,city\n"Jeanne,1 rue\n', "line"),
    ],
)
def test_malformed_address_files_change_nothing(org_a, admin_a, content, message):
    with pytest.raises(LetterError, match=message):
        do_generate_letters(
            organization=org_a,
            user=admin_a,
            file=io.BytesIO(content),
            expires_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    assert not LetterBatch.objects.exists() and not LetterCode.objects.exists()


def test_codes_must_stay_valid_until_tomorrow_at_least(org_a, admin_a):
    with pytest.raises(LetterError, match="tomorrow"):
        _letters(org_a, admin_a, days=0)
    assert not LetterBatch.objects.exists()


def test_guessing_is_throttled(client_a, org_a, admin_a, user_a):
    _batch, letters = _letters(org_a, admin_a)
    client_a.force_login(user_a)
    for attempt in range(10):
        response = client_a.post(
            "/authorizations/letter/", {"code": f"2222-2222-{attempt:04d}".replace("0", "3")}
        )
        assert response.status_code == 400
    # The eleventh attempt, even with the right code, waits.
    response = client_a.post("/authorizations/letter/", {"code": letters[0].code})
    assert response.status_code == 400 and not is_authorized(user_a, "letter")
    assert not LetterCode.objects.filter(used=True).exists()


def test_the_verify_page_comes_back_to_the_action(client_a, org_a, admin_a, user_a):
    _batch, letters = _letters(org_a, admin_a)
    client_a.force_login(user_a)
    response = client_a.post(
        "/authorizations/letter/", {"code": letters[1].printed_code, "next": "/spaces/quartiers/"}
    )
    assert response.status_code == 302 and response["Location"] == "/spaces/quartiers/"
    assert Authorization.objects.get(user=user_a).district == "Père-Lachaise"
