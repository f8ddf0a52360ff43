"""Tests play the key holder: open the encrypted records of open votes, as closing would."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from civitas.ballotbox import crypto, keys
from civitas.ballotbox.models import Envelope


@dataclass
class OpenedRecord:
    payload: dict
    channel: str
    day: datetime.date
    receipt_hash: str | None
    fingerprint: str


def _target(ref: str):
    label, pk = ref.rsplit(":", 1)
    return apps.get_model(label).objects.get(pk=int(pk))


def opened_records(target=None, *, trustee_keys: list[str] | None = None, **filters) -> list[OpenedRecord]:
    """The records inside the envelopes of ``target`` (of every vote when None).

    ``filters`` select on the opened records' attributes, e.g. ``channel="paper"``.
    """
    refs = (
        [target.ballot_ref]
        if target is not None
        else sorted(set(Envelope.objects.values_list("target", flat=True)))
    )
    records = []
    for ref in refs:
        vote = _target(ref)  # afresh: the first cast prepared the key after the caller loaded it
        box = keys.opener(vote, trustee_keys)
        for fingerprint, ciphertext in Envelope.objects.filter(target=ref).values_list(
            "fingerprint", "ciphertext"
        ):
            # Dated as closing would date it today.
            record = crypto.open_record(box, ref, ciphertext, day=timezone.localdate().isoformat())
            records.append(
                OpenedRecord(
                    payload=record["payload"],
                    channel=record["channel"],
                    day=datetime.date.fromisoformat(record["day"]),
                    receipt_hash=record["receipt"],
                    fingerprint=fingerprint,
                )
            )
    return [r for r in records if all(getattr(r, name) == value for name, value in filters.items())]


def opened_record(target=None) -> OpenedRecord:
    """The one record cast (fails when there are none or several)."""
    records = opened_records(target)
    assert len(records) == 1, f"expected one record, found {len(records)}"
    return records[0]


def trustee_key_files(target, names: list[str]) -> list[str]:
    """Name ``names`` as trustees of ``target`` and play each of them: make a key pair,
    register its public half through the trustee's link, keep the key file. Returns the
    key files, in trustee order, as each trustee would hold them."""
    files = []
    for invitation in keys.invite_trustees(target, names):
        private, public = crypto.new_trustee_key()
        keys.register_trustee_key(target, invitation.index, invitation.token, crypto.encode_share(public))
        files.append(keys.trustee_key_file(target, invitation.index, private))
    return files


def trustee_links_in_outbox(addresses: list[str]) -> list[str]:
    """The personal link e-mailed to each of ``addresses``, in that order (from Django's test
    outbox): what each trustee finds in their mailbox."""
    from django.core import mail

    links = []
    for address in addresses:
        [message] = [message for message in mail.outbox if message.to == [address]]
        [link] = re.findall(r"https?://\S+/ballots/trustee/[^/\s]+/", message.body)
        links.append(link)
    return links


def register_through_links(urls: list[str], host: str) -> list[str]:
    """Play each trustee on their own link, as their e-mail gave it to them: make a
    key pair (as the browser or the command-line tool would), post its public line, keep
    the key file. Returns the key files in trustee order."""
    from django.test import Client

    files = []
    for url in urls:
        path = "/" + url.split("/", 3)[3]
        token = path.rstrip("/").rsplit("/", 1)[1]
        trustee = Client(HTTP_HOST=host)  # a trustee needs no account
        page = trustee.get(path)
        assert page.status_code == 200 and "no-store" in page["Cache-Control"], page.status_code
        target, index = page.context["target"], page.context["index"]
        private, public = crypto.new_trustee_key()
        registered = trustee.post(path, {"public_key": f"public: {crypto.encode_share(public)}", "kept": "1"})
        assert registered.status_code == 302, registered.content[:2000]
        assert trustee.get(path).status_code == 404  # the link works once
        assert keys.invited_trustee(token, target.organization_id) is None
        files.append(keys.trustee_key_file(target, index, private))
    return files
