"""Authorization handlers: the registry, and the census handler.

``HANDLERS`` maps each handler's name to its label; any action of any component can
require handlers by name (see ``requirements``). A handler whose proof is an identity
(FranceConnect) also registers a source in ``identity``; the others write an
``Authorization`` row. ``VERIFY_PAGES`` names, per handler, the page where a participant
gets it (a URL name taking ``?next=``), and ``HANDLER_HELP`` says how in one sentence.

Census: the admin uploads ``identifier;birth date[;district]`` rows, the resident types
the same two values to verify their account. Letter codes live in ``letters``.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import unicodedata

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.authorizations.csvfiles import delimiter_of
from civitas.authorizations.models import Authorization, CensusEntry
from civitas.authorizations.requirements import normalize_district

HANDLERS = {
    "census": gettext_lazy("Resident in the census list"),
    "letter": gettext_lazy("Code received by post at home"),
}
VERIFY_PAGES = {"census": "authorizations:census", "letter": "authorizations:letter"}
HANDLER_HELP = {
    "census": gettext_lazy(
        "Type the identifier and the birth date under which you are listed in the census of residents."
    ),
    "letter": gettext_lazy(
        "Type the code printed on the letter the town sent to your home. "
        "Ask the town hall if you have not received it."
    ),
}


def handler_choices() -> list[tuple[str, str]]:
    return [("", gettext_lazy("None: every participant with an account"))] + list(HANDLERS.items())


def is_authorized(user, handler: str) -> bool:
    if not user.is_authenticated:
        return False
    return Authorization.objects.filter(
        user=user, handler=handler, organization_id=user.organization_id
    ).exists()


class CensusError(Exception):
    pass


def _secret() -> bytes:
    """The census key: CIVITAS_CENSUS_KEY when set, else derived from SECRET_KEY.

    Changing it makes every uploaded census useless, so it must be kept with backups.
    """
    configured = getattr(settings, "CIVITAS_CENSUS_KEY", "")
    base = configured or settings.SECRET_KEY
    return hmac.new(base.encode(), b"civitas-census-v1", hashlib.sha256).digest()


def normalize_identifier(identifier: str) -> str:
    text = unicodedata.normalize("NFKC", identifier or "").casefold()
    return "".join(character for character in text if character.isalnum())


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


def parse_birth_date(text: str) -> datetime.date:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime((text or "").strip(), date_format).date()
        except ValueError:
            continue
    raise CensusError(_("Not a date: %(value)s (use 31/12/1980 or 1980-12-31).") % {"value": text})


def census_digest(organization_id: int, identifier: str, birth_date: datetime.date) -> str:
    message = f"{organization_id}|{normalize_identifier(identifier)}|{birth_date.isoformat()}"
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


def read_census(organization, file) -> dict[str, str]:
    """The digests of an uploaded census file, each with its district (optional third
    column, empty when absent); CensusError listing bad lines."""
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CensusError(_("The file must be a CSV file encoded in UTF-8.")) from None
    digests, errors = {}, []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter_of(text)), start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 2 or not normalize_identifier(row[0]):
            errors.append(_("line %(line)s: an identifier and a birth date are needed") % {"line": number})
            continue
        try:
            birth_date = parse_birth_date(row[1])
        except CensusError as error:
            if number == 1:  # a header line
                continue
            errors.append(_("line %(line)s: %(error)s") % {"line": number, "error": error})
            continue
        district = normalize_district(row[2])[:100] if len(row) > 2 else ""
        digests[census_digest(organization.pk, row[0], birth_date)] = district
    if errors:
        raise CensusError(_("Nothing was imported. ") + "; ".join(errors[:20]))
    if not digests:
        raise CensusError(_("The file holds no resident."))
    return digests


def do_replace_census(*, organization, user, file) -> int:
    """Replace the list; entries already used stay used (listed or not), so a resident
    still verifies one account only across uploads."""
    from civitas.actionlog.services import log_action

    digests = read_census(organization, file)
    with transaction.atomic():
        entries = CensusEntry.objects.select_for_update().filter(organization=organization)
        used = dict(entries.filter(used=True).values_list("digest", "district"))
        removed = entries.filter(listed=True).count()
        entries.delete()
        # Rewritten in digest order, the used flags with them: nothing of the old rows'
        # places or ages survives.
        CensusEntry.objects.bulk_create(
            [
                CensusEntry(
                    organization=organization,
                    digest=digest,
                    listed=digest in digests,
                    used=digest in used,
                    district=digests.get(digest, used.get(digest, "")),
                )
                for digest in sorted(digests.keys() | used.keys())
            ],
            batch_size=2000,
        )
        log_action(
            organization=organization,
            user=user,
            action="census.replace",
            target=organization,
            before={"entries": removed},
            after={"entries": len(digests)},
        )
    return len(digests)


def census_size(organization) -> int:
    return CensusEntry.objects.filter(organization=organization, listed=True).count()


class _NotClaimed(Exception):
    pass


def do_verify_with_census(*, user, identifier: str, birth_date: datetime.date) -> None:
    """Mark the resident's census entry used and the account verified, in one transaction,
    as two facts that nothing pairs (see ``models``). One entry verifies one account."""
    if is_authorized(user, "census"):
        return
    digest = census_digest(user.organization_id, identifier, birth_date)
    entry = CensusEntry.objects.filter(organization_id=user.organization_id, digest=digest, listed=True)
    district = entry.values_list("district", flat=True).first() or ""
    try:
        with transaction.atomic():
            # An UPDATE of the existing row, conditional so that two accounts racing for
            # the same entry cannot both have it.
            if not entry.filter(used=False).update(used=True):
                raise _NotClaimed
            Authorization.objects.create(
                user=user,
                organization_id=user.organization_id,
                handler="census",
                granted_on=timezone.localdate(),
                district=district,
            )
    except _NotClaimed:
        if entry.exists():
            raise CensusError(_("Another account has already been verified with these details.")) from None
        raise CensusError(_("These details do not match anyone in the census list.")) from None
    except IntegrityError:
        # The same account, verified by a parallel request: the rollback gave the entry back.
        if is_authorized(user, "census"):
            return
        raise


def blur_used_entries() -> int:
    """Write every used census entry again, in digest order (run each night).

    A row updated by a verification keeps traces of it in the database's own bookkeeping:
    PostgreSQL stamps it with the writing transaction (``xmin``, shared with the
    authorization created beside it) and moves it to wherever there was room, in order
    of arrival. Deleting the used entries and inserting them again in one transaction
    gives them one stamp, new ids and places in digest order. An UPDATE would not do:
    it visits (and so re-places) rows in their physical order, the order of arrival.
    """
    with transaction.atomic():
        used = CensusEntry.objects.select_for_update().filter(used=True)
        rows = sorted(used.values_list("organization_id", "digest", "listed", "district"))
        used.delete()
        CensusEntry.objects.bulk_create(
            [
                CensusEntry(
                    organization_id=organization_id,
                    digest=digest,
                    listed=listed,
                    used=True,
                    district=district,
                )
                for organization_id, digest, listed, district in rows
            ],
            batch_size=2000,
        )
    return len(rows)
