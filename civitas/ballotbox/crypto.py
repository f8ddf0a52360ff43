"""Encrypted casting: what is stored when a ballot is cast is unreadable until closing.

Framework-free (PyNaCl and the standard library). Each vote has an X25519 key pair;
a record is sealed with the vote's public key (libsodium's sealed box: an ephemeral key
per record, so two equal ballots give unrelated ciphertexts) and only the private key,
brought together at closing, opens it.

Plaintext layout, before padding::

    canonical JSON {"v": 1, "target": "<vote reference>", "record": {"channel",
    "receipt", "payload"}}

The vote reference inside the ciphertext lets closing refuse a record copied from
another vote. There is no day: closing dates every record with the closing day. The
plaintext is padded (4-byte length, then zeros) to one size per vote, computed from a
bound on its answers (:func:`padded_size`), so that the size of a stored row tells nothing:
not a one-project budget ballot from a five-project one, not a long text from a short one,
not the answer that opens a conditional question from the one that does not.

Two ways to hold a vote's private key (:mod:`civitas.ballotbox.keys` picks one):

platform key
    Derived at closing from the installation's ballot secret (outside the database) and a
    random salt stored with the vote; the salt is erased when the vote closes, so the key
    can never be derived again, even by whoever holds the secret.
trustee keys
    Each trustee makes their own key pair, in their browser or on their computer, and
    gives the platform only its public half; a record is sealed for all of them at once
    (:class:`TrusteesSealer`) and only every private key together opens it. The platform
    never sees a private key before closing, and never stores one; with the public keys
    it can say which trustee's key is wrong, truncated or meant for another vote.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from nacl.bindings import crypto_box_seal, crypto_scalarmult
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from nacl.secret import SecretBox

from civitas.sealing.canonical import canonical_json, check_record

PAD_BLOCK = 1024
KEY_FILE_HEADER = "civitas-trustee-key v2"
# Crockford's base 32, as receipt codes: survives being read aloud or copied by hand.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SHARE_SYMBOLS = 52  # 256 bits in 5-bit symbols
_CHECK_SYMBOLS = 4


class EnvelopeError(ValueError):
    """A stored ciphertext that cannot be turned back into a valid record."""


class TrusteeKeyError(ValueError):
    """A trustee key that is malformed, truncated, wrong or meant for another vote.

    ``code`` names the problem for a translated message (see civitas.ballotbox.keys).
    """

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message)
        self.code = code
        self.params = params


# --- records ---------------------------------------------------------------------------


@lru_cache(maxsize=256)  # read on every cast: a pure function of two small values
def padded_size(target_ref: str, payload_bound: int) -> int:
    """The one size every record of a vote is padded to, from a bound on its payload.

    The record's other fields have a known maximum (the longest channel, a receipt hash),
    so with the payload's bound the whole plaintext has one.
    """
    skeleton = {
        "v": 1,
        "target": target_ref,
        "record": {"channel": "x" * 20, "receipt": "0" * 64, "payload": {}},
    }
    return max(PAD_BLOCK, 4 + len(canonical_json(skeleton).encode()) + payload_bound)


def _pad(data: bytes, size: int | None) -> bytes:
    needed = 4 + len(data)
    if size is None:  # no bound known: powers of two (sizes then tell something)
        bucket = PAD_BLOCK
        while bucket < needed:
            bucket *= 2
    else:
        # Beyond the bound only if the answer's characters escape longer than reckoned.
        bucket = size * -(-needed // size)
    return len(data).to_bytes(4, "big") + data + bytes(bucket - needed)


def _unpad(blob: bytes) -> bytes:
    if len(blob) < 4:
        raise EnvelopeError("the decrypted record is shorter than its length prefix")
    length = int.from_bytes(blob[:4], "big")
    padding = blob[4 + length :]
    # count() runs in C: any() over the kilobytes of padding took a tenth of closing's time.
    if length > len(blob) - 4 or padding.count(0) != len(padding):
        raise EnvelopeError("the decrypted record's padding is not valid")
    return blob[4 : 4 + length]


def seal_record(
    recipient: bytes | TrusteesSealer, target_ref: str, record: dict, *, size: int | None = None
) -> bytes:
    """The ciphertext of one record (``channel``, ``receipt``, ``payload``), padded to ``size``.

    ``recipient`` is the vote's public key (platform mode) or its trustees' sealer.

    No day: closing dates every opened record with the closing day, since the days of
    casting, set beside who took part each day, would link records to accounts.
    """
    plaintext = canonical_json({"v": 1, "target": target_ref, "record": record}).encode()
    if isinstance(recipient, bytes):  # libsodium's sealed box, without PyNaCl's wrapper objects
        return crypto_box_seal(_pad(plaintext, size), recipient)
    return recipient.encrypt(_pad(plaintext, size))


def fingerprint(ciphertext: bytes) -> str:
    """What the voter is shown and the published file lists for an encrypted record."""
    return hashlib.sha256(bytes(ciphertext)).hexdigest()


def open_record(
    box: SealedBox | TrusteesBox, target_ref: str, ciphertext: bytes, *, day: str = "2000-01-01"
) -> dict:
    """The record inside a ciphertext, dated ``day``, checked; raises EnvelopeError naming the problem."""
    try:
        plaintext = _unpad(box.decrypt(bytes(ciphertext)))
    except CryptoError:
        raise EnvelopeError("does not decrypt with this vote's key") from None
    try:
        content = json.loads(plaintext)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EnvelopeError("decrypts to something that is not a record") from None
    if not isinstance(content, dict) or content.get("v") != 1 or not isinstance(content.get("record"), dict):
        raise EnvelopeError("decrypts to something that is not a record")
    if content.get("target") != target_ref:
        raise EnvelopeError(f"was encrypted for another vote ({content.get('target')!r})")
    record = {**content["record"], "day": day}
    try:
        # The id is given at closing; a placeholder lets the shared checker see the rest.
        check_record({"id": "00000000-0000-0000-0000-000000000000", **record})
    except ValueError as error:
        raise EnvelopeError(f"holds an invalid record: {error}") from None
    return record


def opening_box(private_key: PrivateKey) -> SealedBox:
    """The box that opens a platform-mode vote's records."""
    return SealedBox(private_key)


# --- platform key ----------------------------------------------------------------------


def platform_private_key(secret: str, target_ref: str, salt: bytes) -> PrivateKey:
    """The vote's private key from the installation secret and the vote's salt."""
    seed = hmac.new(
        secret.encode(), b"civitas-ballot-key-v1\0" + target_ref.encode() + b"\0" + salt, hashlib.sha256
    ).digest()
    return PrivateKey(seed)


def new_salt() -> bytes:
    return secrets.token_bytes(32)


# --- trustee keys ----------------------------------------------------------------------
#
# Each trustee makes their own X25519 key pair (in their browser or with
# ``python -m civitas.ballotbox.trustee_key``) and hands the platform only the public
# half. A record for a vote with trustees is sealed for all of them at once: one
# ephemeral key E, one Diffie-Hellman secret per trustee, and a symmetric key hashed
# from every one of them. Opening needs every trustee's private key; any set missing
# one learns nothing. Casting costs one extra scalar multiplication per trustee.

TRUSTEE_SCHEME = b"civitas-trustees-v2"


def _trustees_secret_key(ephemeral_public: bytes, publics: list[bytes], shared: list[bytes]) -> bytes:
    material = TRUSTEE_SCHEME + ephemeral_public + b"".join(publics) + b"".join(shared)
    return hashlib.blake2b(material, digest_size=32).digest()


def _diffie_hellman(private: bytes, public: bytes) -> bytes:
    try:
        return crypto_scalarmult(private, public)
    except (RuntimeError, ValueError, TypeError):  # a low-order point gives no secret
        raise CryptoError("not a usable public key") from None


class TrusteesSealer:
    """Seals records so that only every trustee's private key together opens them."""

    def __init__(self, publics: list[bytes]):
        if not publics:
            raise ValueError("at least one trustee is needed")
        self.publics = [bytes(public) for public in publics]

    def encrypt(self, plaintext: bytes) -> bytes:
        ephemeral = PrivateKey.generate()
        ephemeral_public = bytes(ephemeral.public_key)
        shared = [_diffie_hellman(bytes(ephemeral), public) for public in self.publics]
        key = _trustees_secret_key(ephemeral_public, self.publics, shared)
        return ephemeral_public + bytes(SecretBox(key).encrypt(plaintext))


class TrusteesBox:
    """Opens what :class:`TrusteesSealer` sealed, given every trustee's private key, in order."""

    def __init__(self, privates: list[bytes]):
        self.privates = [bytes(private) for private in privates]
        self.publics = [bytes(PrivateKey(private).public_key) for private in self.privates]

    def decrypt(self, ciphertext: bytes) -> bytes:
        ciphertext = bytes(ciphertext)
        if len(ciphertext) < 32 + SecretBox.NONCE_SIZE + SecretBox.MACBYTES:
            raise CryptoError("too short to be a sealed record")
        ephemeral_public, body = ciphertext[:32], ciphertext[32:]
        shared = [_diffie_hellman(private, ephemeral_public) for private in self.privates]
        key = _trustees_secret_key(ephemeral_public, self.publics, shared)
        return SecretBox(key).decrypt(body)


def new_trustee_key() -> tuple[bytes, bytes]:
    """A trustee's fresh key pair: (private, public)."""
    private = PrivateKey.generate()
    return bytes(private), bytes(private.public_key)


def trustee_public_key(private: bytes) -> bytes:
    return bytes(PrivateKey(private).public_key)


def check_trustee_public_key(public: bytes) -> None:
    """Refuse a public key that would make the trustee's share of the secret predictable."""
    if len(public) != 32:
        raise TrusteeKeyError("the public key is not 32 bytes long", "not_a_public_key")
    _diffie_hellman(bytes(PrivateKey.generate()), public)


def _encode_symbols(data: bytes, count: int) -> str:
    number, shift = int.from_bytes(data, "big"), count * 5 - len(data) * 8
    number = number << shift if shift >= 0 else number >> -shift  # a checksum keeps its top bits
    return "".join(_ALPHABET[(number >> (5 * (count - 1 - i))) & 31] for i in range(count))


def _decode_symbols(symbols: str, size: int) -> bytes:
    number = 0
    for symbol in symbols:
        number = number * 32 + _ALPHABET.index(symbol)
    return (number >> (len(symbols) * 5 - size * 8)).to_bytes(size, "big")


def encode_share(share: bytes) -> str:
    """The share as 56 symbols in groups of four, the last four a checksum."""
    check = hashlib.sha256(b"civitas-share-check\0" + share).digest()[:3]
    symbols = _encode_symbols(share, _SHARE_SYMBOLS) + _encode_symbols(check, _CHECK_SYMBOLS)
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def decode_share(text: str) -> bytes:
    symbols = re.sub(r"[\s\-_.]+", "", text or "").upper().translate(_CONFUSABLE)
    if not symbols:
        raise TrusteeKeyError("the key is empty", "empty")
    if any(symbol not in _ALPHABET for symbol in symbols):
        raise TrusteeKeyError("the key holds characters that no trustee key has", "characters")
    expected = _SHARE_SYMBOLS + _CHECK_SYMBOLS
    if len(symbols) < expected:
        raise TrusteeKeyError(
            f"the key is truncated ({len(symbols)} of {expected} characters)",
            "truncated",
            found=len(symbols),
            expected=expected,
        )
    if len(symbols) > expected:
        raise TrusteeKeyError(
            f"the key is too long ({len(symbols)} characters instead of {expected})",
            "too_long",
            found=len(symbols),
            expected=expected,
        )
    share = _decode_symbols(symbols[:_SHARE_SYMBOLS], 32)
    if encode_share(share).replace("-", "") != symbols:
        raise TrusteeKeyError("the key was copied wrongly (its check characters do not match)", "miscopied")
    return share


@dataclass(frozen=True)
class TrusteeKey:
    share: bytes  # the trustee's private key
    target_ref: str | None = None  # None when only the key line was typed


def format_trustee_key(
    *, target_ref: str, vote_title: str, index: int, total: int, name: str, private: bytes
) -> str:
    """The text file a trustee keeps until closing (the browser writes the same, see trustee_key.js)."""
    return (
        f"{KEY_FILE_HEADER}\n"
        f"vote: {target_ref}\n"
        f"title: {' '.join(vote_title.split())}\n"
        f"trustee: {index} of {total}, {' '.join(name.split())}\n"
        f"public: {encode_share(trustee_public_key(private))}\n"
        f"key: {encode_share(private)}\n"
    )


def parse_trustee_key(text: str) -> TrusteeKey:
    """A trustee key from its whole file or from the key line alone."""
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    if not lines:
        raise TrusteeKeyError("the key is empty", "empty")
    if lines[0] != KEY_FILE_HEADER:
        if len(lines) == 1:
            return TrusteeKey(share=decode_share(lines[0].removeprefix("key:")))
        raise TrusteeKeyError("this is not a Civitas trustee key file", "not_a_key_file")
    fields = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    if "key" not in fields:
        raise TrusteeKeyError("the key file is truncated: its key line is missing", "truncated_file")
    return TrusteeKey(share=decode_share(fields["key"]), target_ref=fields.get("vote", "").strip() or None)
