"""The census list: only keyed hashes are stored; a resident verifies one account."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civitas.authorizations.handlers import (
    CensusError,
    blur_used_entries,
    census_size,
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


def _every_row():
    """A full copy of the database: every table, every row, as (table, {column: value})."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our tables
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                yield table, dict(zip(columns, row, strict=True))


def test_no_row_ties_an_account_to_a_census_digest(org_a, admin_a, user_a):
    """The review's attack: with the census file, its key and the database, map accounts to residents."""
    from django.db import connection

    from civitas.authorizations.handlers import census_digest

    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    entries_before = set(CensusEntry.objects.values_list("pk", "digest"))
    other = UserFactory(organization=org_a)
    do_verify_with_census(user=user_a, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    do_verify_with_census(user=other, identifier="cd456", birth_date=datetime.date(1985, 12, 31))
    assert is_authorized(user_a, "census") and is_authorized(other, "census")

    digests = {
        census_digest(org_a.pk, "AB-123", datetime.date(1970, 5, 1)),
        census_digest(org_a.pk, "cd456", datetime.date(1985, 12, 31)),
    }
    census_table = CensusEntry._meta.db_table
    holding_a_digest = {
        table for table, row in _every_row() if any(str(value) in digests for value in row.values())
    }
    # Only the census list holds digests…
    assert holding_a_digest == {census_table}
    # …and it names no account and keeps no time; its rows were updated, not added.
    with connection.cursor() as cursor:
        census_columns = {
            column.name for column in connection.introspection.get_table_description(cursor, census_table)
        }
    # (The district is a place shared by many residents, on both sides: it pairs nobody.)
    assert census_columns == {"id", "organization_id", "digest", "listed", "used", "district"}
    assert set(CensusEntry.objects.values_list("pk", "digest")) == entries_before
    assert CensusEntry.objects.filter(used=True).count() == 2
    # The account's side keeps the day only.
    for table, row in _every_row():
        if table == Authorization._meta.db_table:
            assert set(row) == {"id", "user_id", "organization_id", "handler", "granted_on", "district"}
            assert not isinstance(row["granted_on"], datetime.datetime)


def test_used_entries_stay_used_across_new_lists(org_a, admin_a, user_a):
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    do_verify_with_census(user=user_a, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    # The resident leaves the list, then comes back: their entry still verified an account.
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(b"cd456;1985-12-31\n"))
    assert census_size(org_a) == 1
    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    assert census_size(org_a) == 2
    with pytest.raises(CensusError, match="Another account"):
        do_verify_with_census(
            user=UserFactory(organization=org_a), identifier="AB-123", birth_date=datetime.date(1970, 5, 1)
        )
    assert is_authorized(user_a, "census")


@pytest.mark.django_db(transaction=True)
def test_the_nightly_rewrite_erases_the_traces_of_each_verification(org_a, admin_a, user_a):
    """Real commits: PostgreSQL stamps each row with the transaction that wrote it (``xmin``)."""
    from django.db import connection

    do_replace_census(organization=org_a, user=admin_a, file=io.BytesIO(CENSUS.encode()))
    do_verify_with_census(user=user_a, identifier="AB-123", birth_date=datetime.date(1970, 5, 1))
    used = CensusEntry.objects.get(used=True)

    def stamps():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {Authorization._meta.db_table}")  # noqa: S608
            (authorization,) = cursor.fetchone()
            cursor.execute(f"SELECT xmin::text FROM {CensusEntry._meta.db_table} WHERE used")  # noqa: S608
            (entry,) = cursor.fetchone()
        return authorization, entry

    postgresql = connection.vendor == "postgresql"
    if postgresql:
        authorization, entry = stamps()
        assert authorization == entry  # the residual link a physical copy shows until the rewrite
    assert blur_used_entries() == 1
    rewritten = CensusEntry.objects.get(used=True)
    assert (rewritten.digest, rewritten.listed) == (used.digest, True) and rewritten.pk != used.pk
    assert census_size(org_a) == 2 and is_authorized(user_a, "census")
    if postgresql:
        authorization, entry = stamps()
        assert authorization != entry


def test_the_page_says_what_is_kept_and_its_limits(client_a, user_a):
    client_a.force_login(user_a)
    page = client_a.get("/authorizations/census/").content.decode()
    assert "Ce qui est conservé" in page and "Les limites" in page
    assert "jamais enregistrés avec votre compte" not in page
