"""What a component shows for the ballot box's errors, and the receipt it shows once."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.ballotbox import keys, services


@dataclass(frozen=True)
class Receipt:
    """Shown once to the voter, in the answer to their vote, and kept nowhere.

    ``code`` later finds the counted record (or proves it was counted); ``fingerprint``
    identifies the encrypted record as cast, listed in the published file.
    """

    code: str
    fingerprint: str


def _envelope_problem(problem: str) -> str:
    """The ballot box's (English, framework-free) reason, in the reader's language."""
    known = {
        "does not decrypt with this vote's key": _("does not decrypt with this vote's key"),
        "decrypts to something that is not a record": _("decrypts to something that is not a record"),
        "is not the record cast under this fingerprint": _("is not the record cast under this fingerprint"),
        "the decrypted record's padding is not valid": _("has an invalid padding"),
        "the decrypted record is shorter than its length prefix": _("has an invalid padding"),
    }
    if problem in known:
        return known[problem]
    if problem.startswith("was encrypted for another vote"):
        return _("was encrypted for another vote (%(vote)s)") % {
            "vote": problem.partition("(")[2].rstrip(")")
        }
    if problem.startswith("holds an invalid record"):
        return _("holds an invalid record: %(problem)s") % {"problem": problem.partition(": ")[2]}
    return problem


def envelopes_message(error: services.EnvelopesRefused) -> str:
    count = ngettext(
        "%(count)s encrypted record cannot be counted, so nothing was closed:",
        "%(count)s encrypted records cannot be counted, so nothing was closed:",
        error.count,
    ) % {"count": error.count}
    details = "; ".join(
        _("record %(fingerprint)s %(problem)s")
        % {"fingerprint": fingerprint[:16], "problem": _envelope_problem(problem)}
        for fingerprint, problem in error.problems
    )
    return f"{count} {details}."


@contextmanager
def closing_errors(error_class):
    """Turn the ballot box's key and decryption errors into ``error_class(message)``."""
    try:
        yield
    except keys.VoteKeyError as error:
        raise error_class(error.message) from None
    except services.EnvelopesRefused as error:
        raise error_class(envelopes_message(error)) from None
    except services.OnlineRecordsMismatch as error:
        message = ngettext(
            "The ballot box holds %(online)s online records but %(participants)s account took part: "
            "records were added or removed outside the ballot box, so nothing was closed. Ask the "
            "technical team to find them (see the action log and the database's history).",
            "The ballot box holds %(online)s online records but %(participants)s accounts took part: "
            "records were added or removed outside the ballot box, so nothing was closed. Ask the "
            "technical team to find them (see the action log and the database's history).",
            error.participants,
        ) % {"online": error.online, "participants": error.participants}
        raise error_class(message) from None
    except services.RecordsInClear as error:
        message = ngettext(
            "%(count)s record was written in clear beside the encrypted ballots, outside the ballot "
            "box: it cannot be counted, so nothing was closed. Ask the technical team to remove it.",
            "%(count)s records were written in clear beside the encrypted ballots, outside the ballot "
            "box: they cannot be counted, so nothing was closed. Ask the technical team to remove them.",
            error.count,
        ) % {"count": error.count}
        raise error_class(message) from None
