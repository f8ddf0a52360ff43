"""Reading bounce reports (RFC 3464 delivery status notifications) from files.

A report names the address that failed (``Final-Recipient``), whether it failed for good
(``Action: failed`` with a ``5.x.x`` status: a hard bounce) or for now (a ``4.x.x`` status
or ``Action: delayed``: soft), and usually quotes the original message's headers, where
our signed ``X-Civitas-Delivery: <organization>.<delivery>:<signature>`` header names the delivery.
"""

import email
import email.policy
import mailbox
import re
from dataclasses import dataclass
from pathlib import Path

from django.core import signing

# Signed, so a forged report cannot mark someone else's delivery by guessing its number.
DELIVERY_SALT = "civitas.newsletters.delivery"
_DELIVERY = re.compile(r"^(\d+)\.(\d+)$")


def delivery_reference(organization_id: int, delivery_id: int) -> str:
    return signing.Signer(salt=DELIVERY_SALT).sign(f"{organization_id}.{delivery_id}")


def read_delivery_reference(value: str) -> tuple[int | None, int | None]:
    try:
        match = _DELIVERY.match(signing.Signer(salt=DELIVERY_SALT).unsign(value.strip()))
    except signing.BadSignature:
        return None, None
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


@dataclass(frozen=True)
class Bounce:
    email: str
    hard: bool
    organization_id: int | None
    delivery_id: int | None


def _header_blocks(part) -> list:
    """The field blocks of a message/delivery-status part, whatever way the parser gave them."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload
    text = payload if isinstance(payload, str) else part.get_payload(decode=True).decode("utf-8", "replace")
    return [
        email.message_from_string(block) for block in re.split(r"\r?\n\r?\n", text.strip()) if block.strip()
    ]


def _delivery_header(message) -> tuple[int | None, int | None]:
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/rfc822-headers", "message/rfc822"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                quoted = payload[0]
            else:
                raw = part.get_payload(decode=True) or b""
                quoted = email.message_from_bytes(raw, policy=email.policy.compat32)
            found = read_delivery_reference(str(quoted.get("X-Civitas-Delivery", "")))
            if found[0] is not None:
                return found
    return None, None


def bounces_in(message) -> list[Bounce]:
    """The failed recipients a report names; nothing for a message that is no bounce report."""
    organization_id, delivery_id = _delivery_header(message)
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _header_blocks(part)[1:]:  # the first block is about the whole message
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            address = recipient.split(";", 1)[-1].strip().strip("<>").lower()
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).strip()
            if not address or action not in ("failed", "delayed"):
                continue
            hard = action == "failed" and status.startswith("5")
            found.append(Bounce(address, hard, organization_id, delivery_id))
    return found


def messages_in(path: Path):
    """An mbox file (starts with "From "), or one message per file."""
    with path.open("rb") as handle:
        start = handle.read(5)
    if start == b"From ":
        box = mailbox.mbox(str(path), create=False)
        try:
            for key in box.iterkeys():
                yield email.message_from_bytes(box.get_bytes(key), policy=email.policy.compat32)
        finally:
            box.close()
    else:
        yield email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
