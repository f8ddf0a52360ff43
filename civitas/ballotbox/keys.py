"""Who holds a vote's key: preparing it, and bringing it together at closing.

Platform mode needs nothing from anyone: the key pair is derived from the installation's
ballot secret (``CIVITAS_BALLOT_KEY``, outside the database) and a random salt stored
with the vote, prepared at the first cast. Trustee mode needs the admin to hand out the
trustees' keys before the vote opens (:func:`prepare_trustee_keys`, shown once, never
stored) and every trustee's key at closing (:func:`opening_key`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from civitas.ballotbox import crypto
from civitas.ballotbox.models import KeyMode


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
    """The public key to encrypt with, prepared on first use in platform mode.

    Raises KeysNotReady when trustees have not been given their keys yet.
    """
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
            _("This vote's trustees have not received their counting keys yet: it cannot take ballots.")
        )
    return bytes.fromhex(target.public_key)


def mode_lock_reason(target) -> str | None:
    """Why the key mode can no longer change, or None."""
    if target.frozen_at is not None:
        return _("This vote is closed.")
    if target.pk and target.has_ballots():
        return _("Ballots have been cast with the current key: who holds it can no longer change.")
    return None


@dataclass(frozen=True)
class HandedKey:
    name: str
    index: int
    text: str  # the whole key file, shown once


@transaction.atomic
def prepare_trustee_keys(target, names: list[str]) -> list[HandedKey]:
    """A new key pair split between ``names``; returns their key files, which are not stored."""
    names = [" ".join(name.split()) for name in names if name.strip()]
    if not names:
        raise VoteKeyError(_("Name at least one trustee."))
    if len(names) > 10:
        raise VoteKeyError(_("At most 10 trustees may share a key."))
    locked = type(target).objects.select_for_update().get(pk=target.pk)
    reason = mode_lock_reason(locked)
    if reason:
        raise VoteKeyError(reason)
    public, shares = crypto.split_private_key(len(names))
    ref = locked.ballot_ref
    locked.key_mode = KeyMode.TRUSTEES
    locked.public_key = public.hex()
    locked.key_salt = ""
    locked.trustees = [
        {"name": name, "commitment": crypto.share_commitment(ref, index, share)}
        for index, (name, share) in enumerate(zip(names, shares, strict=True), start=1)
    ]
    locked.save(update_fields=["key_mode", "public_key", "key_salt", "trustees"])
    for field in ("key_mode", "public_key", "key_salt", "trustees"):
        setattr(target, field, getattr(locked, field))
    title = str(target)
    return [
        HandedKey(
            name=name,
            index=index,
            text=crypto.format_trustee_key(
                target_ref=ref, vote_title=title, index=index, total=len(names), name=name, share=share
            ),
        )
        for index, (name, share) in enumerate(zip(names, shares, strict=True), start=1)
    ]


@transaction.atomic
def use_platform_key(target) -> None:
    """Back to the platform key (before any ballot): forgets the trustees' public key."""
    locked = type(target).objects.select_for_update().get(pk=target.pk)
    reason = mode_lock_reason(locked)
    if reason:
        raise VoteKeyError(reason)
    locked.key_mode, locked.public_key, locked.key_salt, locked.trustees = KeyMode.PLATFORM, "", "", []
    locked.save(update_fields=["key_mode", "public_key", "key_salt", "trustees"])
    for field in ("key_mode", "public_key", "key_salt", "trustees"):
        setattr(target, field, getattr(locked, field))


def _trustee_share(target, index: int, text: str) -> bytes:
    """Trustee ``index``'s share from what they supplied; raises TrusteeKeyError."""
    key = crypto.parse_trustee_key(text)
    if key.target_ref is not None and key.target_ref != target.ballot_ref:
        raise crypto.TrusteeKeyError(
            _("this key belongs to another vote (%(ref)s)") % {"ref": key.target_ref}, "translated"
        )
    expected = target.trustees[index - 1]["commitment"]
    if crypto.share_commitment(target.ballot_ref, index, key.share) != expected:
        for other, trustee in enumerate(target.trustees, start=1):
            if crypto.share_commitment(target.ballot_ref, other, key.share) == trustee["commitment"]:
                raise crypto.TrusteeKeyError(
                    _("this is the key of trustee %(other)s (%(name)s)")
                    % {"other": other, "name": trustee["name"]}
                )
        raise crypto.TrusteeKeyError(
            _("this key is not the one handed to this trustee for this vote"), "translated"
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
    }
    message = messages.get(error.code)
    return message % error.params if message else str(error)


def opening_key(target, trustee_keys: list[str] | None = None) -> PrivateKey:
    """The vote's private key, checked against its public key.

    Platform mode derives it (the salt must still be there); trustee mode combines every
    trustee's key, in the order the trustees were named, and names each one that is
    missing or wrong. Nothing is stored.
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
        return private
    supplied = list(trustee_keys or [])
    supplied += [""] * (len(target.trustees) - len(supplied))
    problems, shares = [], []
    for index, (trustee, text) in enumerate(zip(target.trustees, supplied, strict=False), start=1):
        try:
            shares.append(_trustee_share(target, index, text))
        except crypto.TrusteeKeyError as error:
            problems.append(
                _("Trustee %(index)s (%(name)s): %(problem)s.")
                % {"index": index, "name": trustee["name"], "problem": _explain(error)}
            )
    if problems:
        raise TrusteeKeysRefused(problems)
    private = crypto.combine_shares(shares)
    if bytes(private.public_key).hex() != target.public_key:  # commitments matched: cannot happen
        raise TrusteeKeysRefused([_("The trustees' keys do not make this vote's key.")])
    return private
