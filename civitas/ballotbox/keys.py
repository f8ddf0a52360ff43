"""Who holds a vote's key: preparing it, and bringing it together at closing.

Platform mode needs nothing from anyone: the key pair is derived from the installation's
ballot secret (``CIVITAS_BALLOT_KEY``, outside the database) and a random salt stored
with the vote, prepared at the first cast.

Trustee mode: the admin names the trustees and the platform e-mails each one a personal
link (:func:`invite_trustees`, :mod:`civitas.ballotbox.invitations`; only a hash of each
link is stored, and the admin never sees one). Each trustee makes their own key pair
on that page, in their browser, or on their computer, and registers only its public
half (:func:`register_trustee_key`); the link then stops working. The vote takes
ballots once every trustee has registered, and at closing every private key is needed
(:func:`opener`). Nobody, the admin included, ever sees a key but their own.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.ballotbox import crypto
from civitas.ballotbox.models import KeyMode, SealedTarget


class VoteKeyError(Exception):
    """The vote's key cannot be prepared or brought together; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class KeysNotReady(VoteKeyError):
    pass


class TrusteeKeysRefused(VoteKeyError):
    """Some trustee keys are wrong; ``problems`` names each, by trustee."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def ensure_public_key(target) -> bytes:
    """The platform-mode public key, prepared on first use; see :func:`sealing_recipient`."""
    if not target.public_key:
        # The instance may predate the admin's choice of trustees or their registrations.
        target.refresh_from_db(fields=["key_mode", "public_key", "key_salt", "trustees"])
    if not target.public_key and target.key_mode == KeyMode.PLATFORM:
        salt = crypto.new_salt()
        public = crypto.platform_private_key(settings.CIVITAS_BALLOT_KEY, target.ballot_ref, salt).public_key
        # Compare-and-set: two first voters at once agree on one key pair.
        type(target).objects.filter(pk=target.pk, public_key="").update(
            public_key=bytes(public).hex(), key_salt=salt.hex()
        )
        target.refresh_from_db(fields=["public_key", "key_salt"])
    if not target.public_key:
        raise KeysNotReady(
            _("This vote's trustees have not all registered their counting keys yet: it cannot take ballots.")
        )
    return bytes.fromhex(target.public_key)


def sealing_recipient(target) -> bytes | crypto.TrusteesSealer:
    """What a record of ``target`` is sealed for: the platform's public key or every trustee's.

    Raises KeysNotReady while a trustee has not registered their key.
    """
    ensure_public_key(target)
    if target.key_mode == KeyMode.TRUSTEES:
        publics = [bytes.fromhex(trustee["public_key"]) for trustee in target.trustees]
        if trustees_key_id(publics) != target.public_key:  # trustees named again since loaded
            raise KeysNotReady(_("This vote's trustees changed: load the vote again."))
        return crypto.TrusteesSealer(publics)
    return bytes.fromhex(target.public_key)


def key_id_of(recipient: bytes | crypto.TrusteesSealer) -> str:
    """The ``public_key`` value a vote has while records are sealed for ``recipient``."""
    if isinstance(recipient, crypto.TrusteesSealer):
        return trustees_key_id(recipient.publics)
    return bytes(recipient).hex()


def trustees_key_id(publics: list[bytes]) -> str:
    """What ``public_key`` holds in trustee mode: a digest naming the trustees' keys, in order."""
    return hashlib.sha256(crypto.TRUSTEE_SCHEME + b"".join(publics)).hexdigest()


def mode_lock_reason(target) -> str | None:
    """Why the key mode can no longer change, or None."""
    if target.frozen_at is not None:
        return _("This vote is closed.")
    if target.pk and target.has_ballots():
        return _("Ballots have been cast with the current key: who holds it can no longer change.")
    if target.pk:
        from civitas.ballotbox.background import closing_under_way

        if closing_under_way(target):
            return _("A closing of this vote has been asked: who holds its key can no longer change.")
    return None


@dataclass(frozen=True)
class Invitation:
    name: str
    index: int
    token: str  # the secret part of the trustee's link: e-mailed to them, never shown to the admin


def _token_digest(token: str) -> str:
    return hashlib.sha256(b"civitas-trustee-invitation\0" + token.encode()).hexdigest()


@transaction.atomic
def invite_trustees(target, names: list[str]) -> list[Invitation]:
    """Name the trustees; returns each one's personal link token, which is not stored."""
    names = [" ".join(name.split()) for name in names if name.strip()]
    if not names:
        raise VoteKeyError(_("Name at least one trustee."))
    if len(names) > 10:
        raise VoteKeyError(_("At most 10 trustees may share a key."))
    locked = type(target).objects.select_for_update().get(pk=target.pk)
    reason = mode_lock_reason(locked)
    if reason:
        raise VoteKeyError(reason)
    prefix = f"{locked._meta.label_lower}.{locked.pk}"
    invitations = [
        Invitation(name=name, index=index, token=f"{prefix}.{index}.{secrets.token_urlsafe(24)}")
        for index, name in enumerate(names, start=1)
    ]
    locked.key_mode = KeyMode.TRUSTEES
    locked.public_key = ""
    locked.key_salt = ""
    locked.trustees = [
        {"name": invitation.name, "invitation": _token_digest(invitation.token), "public_key": ""}
        for invitation in invitations
    ]
    locked.save(update_fields=["key_mode", "public_key", "key_salt", "trustees"])
    for field in ("key_mode", "public_key", "key_salt", "trustees"):
        setattr(target, field, getattr(locked, field))
    return invitations


def _parse_token(token: str) -> tuple[str, int, int] | None:
    parts = (token or "").rsplit(".", 3)
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2])


def invited_trustee(token: str, organization_id: int | None):
    """(target, index) of a trustee's link, or None for an unknown, used or foreign link."""
    parsed = _parse_token(token)
    if parsed is None:
        return None
    label, pk, index = parsed
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, SealedTarget):
        return None
    target = model.objects.filter(pk=pk).first()
    if target is None or target.organization_id != organization_id or target.key_mode != KeyMode.TRUSTEES:
        return None
    if not 1 <= index <= len(target.trustees):
        return None
    expected = target.trustees[index - 1].get("invitation", "")
    if not expected or not secrets.compare_digest(expected, _token_digest(token)):
        return None
    return target, index


@transaction.atomic
def register_trustee_key(target, index: int, token: str, public_text: str) -> None:
    """Store trustee ``index``'s public key (from its key-file line) and void their link.

    Once every trustee has registered, the vote can take ballots.
    """
    locked = type(target).objects.select_for_update().get(pk=target.pk)
    reason = mode_lock_reason(locked)
    if reason:
        raise VoteKeyError(reason)
    trustees = [dict(trustee) for trustee in locked.trustees]
    if not (1 <= index <= len(trustees)) or trustees[index - 1].get("invitation") != _token_digest(token):
        raise VoteKeyError(_("This link has already been used or replaced: ask the vote's organizers."))
    try:
        public = crypto.decode_share(public_text.strip().removeprefix("public:"))
        crypto.check_trustee_public_key(public)
    except (crypto.TrusteeKeyError, crypto.CryptoError) as error:
        problem = _explain(error) if isinstance(error, crypto.TrusteeKeyError) else str(error)
        raise VoteKeyError(_("This public key cannot be used: %(problem)s.") % {"problem": problem}) from None
    if any(trustee.get("public_key") == public.hex() for trustee in trustees):
        raise VoteKeyError(_("Another trustee of this vote has registered this very key: make a new one."))
    trustees[index - 1].update(
        public_key=public.hex(), invitation="", registered_on=timezone.localdate().isoformat()
    )
    locked.trustees = trustees
    if all(trustee.get("public_key") for trustee in trustees):
        locked.public_key = trustees_key_id([bytes.fromhex(trustee["public_key"]) for trustee in trustees])
    locked.save(update_fields=["trustees", "public_key"])
    target.trustees, target.public_key = locked.trustees, locked.public_key


def trustee_key_file(target, index: int, private: bytes) -> str:
    """The key file of trustee ``index`` for a private key made outside the browser."""
    return crypto.format_trustee_key(
        target_ref=target.ballot_ref,
        vote_title=str(target),
        index=index,
        total=len(target.trustees),
        name=target.trustees[index - 1]["name"],
        private=private,
    )


@transaction.atomic
def use_platform_key(target) -> None:
    """Back to the platform key (before any ballot): forgets the trustees and their keys."""
    locked = type(target).objects.select_for_update().get(pk=target.pk)
    reason = mode_lock_reason(locked)
    if reason:
        raise VoteKeyError(reason)
    locked.key_mode, locked.public_key, locked.key_salt, locked.trustees = KeyMode.PLATFORM, "", "", []
    locked.save(update_fields=["key_mode", "public_key", "key_salt", "trustees"])
    for field in ("key_mode", "public_key", "key_salt", "trustees"):
        setattr(target, field, getattr(locked, field))


def _trustee_private_key(target, index: int, text: str) -> bytes:
    """Trustee ``index``'s private key from what they supplied; raises TrusteeKeyError."""
    key = crypto.parse_trustee_key(text)
    if key.target_ref is not None and key.target_ref != target.ballot_ref:
        raise crypto.TrusteeKeyError(
            _("this key belongs to another vote (%(ref)s)") % {"ref": key.target_ref}, "translated"
        )
    public = crypto.trustee_public_key(key.share).hex()
    if public != target.trustees[index - 1]["public_key"]:
        for other, trustee in enumerate(target.trustees, start=1):
            if trustee["public_key"] == public:
                raise crypto.TrusteeKeyError(
                    _("this is the key of trustee %(other)s (%(name)s)")
                    % {"other": other, "name": trustee["name"]}
                )
        raise crypto.TrusteeKeyError(
            _("this key is not the one this trustee registered for this vote"), "translated"
        )
    return key.share


def _explain(error: crypto.TrusteeKeyError) -> str:
    """The problem of a trustee key, in the reader's language."""
    messages = {
        "empty": _("the key is empty"),
        "characters": _("the key holds characters that no trustee key has"),
        "truncated": _("the key is truncated (%(found)s of %(expected)s characters)"),
        "too_long": _("the key is too long (%(found)s characters instead of %(expected)s)"),
        "miscopied": _("the key was copied wrongly (its check characters do not match)"),
        "not_a_key_file": _("this is not a Civitas trustee key file"),
        "truncated_file": _("the key file is truncated: its key line is missing"),
        "not_a_public_key": _("this is not a public key"),
    }
    message = messages.get(error.code)
    return message % error.params if message else str(error)


def opener(target, trustee_keys: list[str] | None = None):
    """What opens the vote's records: checked against its public key(s).

    Platform mode derives the private key (the salt must still be there); trustee mode
    needs every trustee's private key, in the order the trustees were named, and names
    each one that is missing or wrong. Nothing is stored.
    """
    if not target.public_key:
        raise KeysNotReady(_("This vote has no counting key: no ballot could have been cast with it."))
    if target.key_mode == KeyMode.PLATFORM:
        if not target.key_salt:
            raise VoteKeyError(
                _("This vote's platform key has been erased: its ballots can no longer be opened.")
            )
        private = crypto.platform_private_key(
            settings.CIVITAS_BALLOT_KEY, target.ballot_ref, bytes.fromhex(target.key_salt)
        )
        if bytes(private.public_key).hex() != target.public_key:
            raise VoteKeyError(
                _(
                    "The installation's ballot secret (CIVITAS_BALLOT_KEY) is not the one this vote was "
                    "opened with: restore it to count the ballots."
                )
            )
        return crypto.opening_box(private)
    supplied = list(trustee_keys or [])
    supplied += [""] * (len(target.trustees) - len(supplied))
    problems, privates = [], []
    for index, (trustee, text) in enumerate(zip(target.trustees, supplied, strict=False), start=1):
        try:
            privates.append(_trustee_private_key(target, index, text))
        except crypto.TrusteeKeyError as error:
            problems.append(
                _("Trustee %(index)s (%(name)s): %(problem)s.")
                % {"index": index, "name": trustee["name"], "problem": _explain(error)}
            )
    if problems:
        raise TrusteeKeysRefused(problems)
    return crypto.TrusteesBox(privates)
