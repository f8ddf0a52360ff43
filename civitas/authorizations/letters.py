"""The postal letter code handler: a one-time code mailed to a resident's address.

The admin uploads addresses (CSV with a header line); each gets a random code, printed
once on its letter and stored only as a keyed hash (HMAC-SHA256, key derived like the
census key). A code verifies one account, until its batch expires. As with the census,
using a code flips the code row's ``used`` flag and creates the account's
``Authorization`` (with the code's district): two facts that nothing pairs. Addresses
are never stored: they exist in the uploaded file and on the printed letters only.

Guessing is out of reach: 12 characters from a 31-symbol alphabet make about 2^59 codes,
and attempts are throttled per account and per address (see ``views``).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.authorizations.csvfiles import delimiter_of
from civitas.authorizations.models import Authorization, LetterBatch, LetterCode
from civitas.authorizations.requirements import normalize_district

HANDLER = "letter"
# No 0/O, 1/I/L: nothing a reader can confuse on paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
MAX_LETTERS = 20000
MAX_FILE_BYTES = 5 * 1024 * 1024

# Accepted header names (compared in lower case, without accents handled by listing both).
COLUMNS = {
    "name": ("name", "nom", "destinataire"),
    "address": ("address", "adresse", "address_1", "adresse_1"),
    "address_2": ("address_2", "adresse_2", "complement", "complément"),
    "postal_code": ("postal_code", "postcode", "code_postal", "cp"),
    "city": ("city", "ville", "commune"),
    "district": ("district", "quartier"),
}
REQUIRED = ("name", "address", "postal_code", "city")


class LetterError(Exception):
    pass


@dataclass(frozen=True)
class Letter:
    name: str
    address: str
    address_2: str
    postal_code: str
    city: str
    district: str
    code: str = ""

    @property
    def printed_code(self) -> str:
        return "-".join(self.code[index : index + 4] for index in range(0, len(self.code), 4))


def _secret() -> bytes:
    configured = getattr(settings, "CIVITAS_CENSUS_KEY", "")
    base = configured or settings.SECRET_KEY
    return hmac.new(base.encode(), b"civitas-letter-code-v1", hashlib.sha256).digest()


def normalize_code(text: str) -> str:
    return "".join(character for character in (text or "").upper() if character.isalnum())


def code_digest(organization_id: int, code: str) -> str:
    message = f"{organization_id}|{normalize_code(code)}"
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _index in range(CODE_LENGTH))


# --- reading the addresses ----------------------------------------------------------------


def _header_map(header: list[str]) -> dict[str, int]:
    names = [cell.strip().casefold().replace(" ", "_").replace("-", "_") for cell in header]
    found = {}
    for column, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[column] = index
                break
    return found


def read_addresses(file) -> list[Letter]:
    """The letters to print from an uploaded CSV file; LetterError listing what is wrong."""
    raw = file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise LetterError(_("The file is too large (5 MB at most)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LetterError(_("The file must be a CSV file encoded in UTF-8.")) from None
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter_of(text)))
    except csv.Error as error:
        raise LetterError(_("The file is not a readable CSV file (%(error)s).") % {"error": error}) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise LetterError(_("The file holds no address."))
    columns = _header_map(rows[0])
    absent = [column for column in REQUIRED if column not in columns]
    if absent:
        raise LetterError(
            _(
                "The first line must name the columns: name, address, postal_code, city "
                "(optional: address_2, district). Missing: %(columns)s."
            )
            % {"columns": ", ".join(absent)}
        )
    if len(rows) - 1 > MAX_LETTERS:
        raise LetterError(_("At most %(count)s letters at once: split the file.") % {"count": MAX_LETTERS})
    letters, errors = [], []
    for number, row in enumerate(rows[1:], start=2):

        def cell(column: str, row=row) -> str:
            index = columns.get(column)
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        values = {column: cell(column) for column in COLUMNS}
        empty = [column for column in REQUIRED if not values[column]]
        if empty:
            errors.append(
                _("line %(line)s: %(columns)s missing") % {"line": number, "columns": ", ".join(empty)}
            )
            continue
        if any(len(value) > 200 for value in values.values()):
            errors.append(_("line %(line)s: a value is longer than 200 characters") % {"line": number})
            continue
        values["district"] = normalize_district(values["district"])[:100]
        letters.append(Letter(**values))
    if errors:
        raise LetterError(_("Nothing was generated. ") + "; ".join(errors[:20]))
    if not letters:
        raise LetterError(_("The file holds no address."))
    return letters


# --- generating -------------------------------------------------------------------------------


def do_generate_letters(
    *, organization, user, file, expires_on: datetime.date
) -> tuple[LetterBatch, list[Letter]]:
    """Store the keyed hashes of new codes; the letters (with the codes in clear) are
    returned to be printed once and are kept nowhere."""
    from civitas.actionlog.services import log_action

    if expires_on <= timezone.localdate():
        raise LetterError(_("The codes must stay valid at least until tomorrow."))
    letters = read_addresses(file)
    with transaction.atomic():
        batch = LetterBatch.objects.create(
            organization=organization,
            created_on=timezone.localdate(),
            expires_on=expires_on,
            size=len(letters),
        )
        existing = set()
        coded = []
        for letter in letters:
            code = new_code()
            while code in existing:  # 2^59 codes: a repeat is all but impossible, but cheap to rule out
                code = new_code()
            existing.add(code)
            coded.append(Letter(**{**letter.__dict__, "code": code}))
        # Rows in digest order: their ids say nothing of the order of the addresses.
        LetterCode.objects.bulk_create(
            sorted(
                (
                    LetterCode(
                        organization=organization,
                        batch=batch,
                        digest=code_digest(organization.pk, letter.code),
                        district=letter.district,
                    )
                    for letter in coded
                ),
                key=lambda row: row.digest,
            ),
            batch_size=2000,
        )
        log_action(
            organization=organization,
            user=user,
            action="letters.generate",
            target=batch,
            after={"letters": len(coded), "expires_on": expires_on.isoformat()},
        )
    return batch, coded


def do_revoke_batch(*, organization, user, batch_id: int) -> int:
    """Unused codes of the batch stop working; used ones stay, so no code verifies twice."""
    from civitas.actionlog.services import log_action

    with transaction.atomic():
        batch = LetterBatch.objects.select_for_update().get(organization=organization, pk=batch_id)
        revoked = batch.codes.filter(used=False).delete()[0]
        batch.expires_on = min(batch.expires_on, timezone.localdate() - datetime.timedelta(days=1))
        batch.save(update_fields=["expires_on"])
        log_action(
            organization=organization,
            user=user,
            action="letters.revoke",
            target=batch,
            after={"revoked": revoked},
        )
    return revoked


# --- verifying ---------------------------------------------------------------------------------


class _NotClaimed(Exception):
    pass


def do_verify_with_letter(*, user, code: str) -> None:
    from civitas.authorizations.handlers import is_authorized

    if is_authorized(user, HANDLER):
        return
    if len(normalize_code(code)) != CODE_LENGTH:
        raise LetterError(
            _("A code has %(count)s letters and digits, as printed on the letter.") % {"count": CODE_LENGTH}
        )
    rows = LetterCode.objects.filter(
        organization_id=user.organization_id, digest=code_digest(user.organization_id, code)
    )
    found = rows.select_related("batch").first()
    if found is None:
        raise LetterError(_("This code is not valid. Check the letter and type it again."))
    if found.batch.expires_on < timezone.localdate():
        raise LetterError(_("This code has expired. Ask the town hall for a new letter."))
    try:
        with transaction.atomic():
            # Conditional UPDATE: of two accounts racing for one code, one gets it.
            if not rows.filter(used=False).update(used=True):
                raise _NotClaimed
            Authorization.objects.create(
                user=user,
                organization_id=user.organization_id,
                handler=HANDLER,
                granted_on=timezone.localdate(),
                district=found.district,
            )
    except _NotClaimed:
        raise LetterError(_("This code has already been used.")) from None
    except IntegrityError:
        if is_authorized(user, HANDLER):
            return
        raise


def batches_of(organization):
    from django.db.models import Count, Q

    return LetterBatch.objects.filter(organization=organization).annotate(
        used=Count("codes", filter=Q(codes__used=True))
    )


def blur_used_codes() -> int:
    """Write used codes again in digest order, as ``handlers.blur_used_entries`` does for
    census entries, so that the database's bookkeeping does not pair them with accounts."""
    with transaction.atomic():
        used = LetterCode.objects.select_for_update().filter(used=True)
        rows = sorted(used.values_list("organization_id", "batch_id", "digest", "district"))
        used.delete()
        LetterCode.objects.bulk_create(
            [
                LetterCode(organization_id=org, batch_id=batch, digest=digest, district=district, used=True)
                for org, batch, digest, district in rows
            ],
            batch_size=2000,
        )
    return len(rows)
