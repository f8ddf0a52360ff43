"""Trustees named with their e-mail addresses, each sent their personal link directly.

The admin who names the trustees never sees a link: with one in hand they could open it
and register a key of their own under a trustee's name, and so count the ballots alone.
Each link is e-mailed within the admin's request, straight through Django's mail API and
never through the task queue: the queue is stored in the database, and a copy of the
database must not hold a link that still works (the database keeps only a hash of each
link's token, see :func:`keys.invite_trustees`). The addresses serve for sending and are
then forgotten: nothing stores them, not even the action log.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civitas.ballotbox import keys
from civitas.core.mail import render_subject, render_text
from civitas.organizations.links import absolute_url

logger = logging.getLogger(__name__)

# Seconds to wait for the mail server: the admin's request waits for it.
SEND_TIMEOUT = 20
TEMPLATE = "ballotbox/email/trustee_invitation"
_BRACKETED = re.compile(r"<([^<>]*)>\s*$")
_NAME_EDGES = " \t,;:-–—\"'“”«»"
_ADDRESS_EDGES = "()[]<>\"'“”«»,;:."


@dataclass(frozen=True)
class NamedTrustee:
    name: str
    email: str


@dataclass(frozen=True)
class Delivery:
    """Whether trustee ``index``'s link reached the mail server for ``email``."""

    index: int
    name: str
    email: str
    sent: bool


class TrusteeLinesRefused(keys.VoteKeyError):
    """Some lines of the admin's list name no trustee and address; ``problems`` names each line."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def parse_trustees(text: str) -> list[NamedTrustee]:
    """One trustee per non-blank line: a name and an e-mail address, in the usual forms
    (``Maître Durand <durand@huissiers.example>``, ``Claire Martin, claire@example.org``).

    Raises TrusteeLinesRefused naming every line (by its number in the field) that has no
    name, no valid address, several addresses, or an address another line already gave:
    one person holding two trustees' keys would be enough to count.
    """
    trustees, problems, seen = [], [], {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        quoted = line if len(line) <= 60 else line[:59] + "…"
        try:
            trustee = _parse_line(line)
        except ValueError as problem:
            problems.append(
                _("Line %(number)s (“%(line)s”): %(problem)s")
                % {"number": number, "line": quoted, "problem": problem}
            )
            continue
        first = seen.setdefault(trustee.email.lower(), number)
        if first != number:
            problems.append(
                _(
                    "Line %(number)s (“%(line)s”): this address is already on line %(first)s; "
                    "each trustee needs their own."
                )
                % {"number": number, "line": quoted, "first": first}
            )
            continue
        trustees.append(trustee)
    if problems:
        raise TrusteeLinesRefused(problems)
    return trustees


def _parse_line(line: str) -> NamedTrustee:
    bracketed = _BRACKETED.search(line)
    if bracketed:
        address, name = bracketed.group(1).strip(), line[: bracketed.start()]
        if "@" in name:
            raise ValueError(_("give one trustee and one address per line."))
    else:
        words = [word for word in re.split(r"[\s,;]+", line) if "@" in word]
        if not words:
            raise ValueError(
                _(
                    "no e-mail address. Write the trustee's name then their address, "
                    "for instance “Claire Martin <claire@example.org>”."
                )
            )
        if len(words) > 1:
            raise ValueError(_("give one trustee and one address per line."))
        address = words[0].strip(_ADDRESS_EDGES)
        name = line.replace(words[0], " ", 1)
    name = " ".join(name.split()).strip(_NAME_EDGES)
    try:
        validate_email(address)
    except ValidationError:
        raise ValueError(_("“%(address)s” is not a valid e-mail address.") % {"address": address}) from None
    if not name:
        raise ValueError(_("the trustee's name is missing before their address."))
    return NamedTrustee(name=name, email=address)


def vote_public_path(target) -> str:
    """The vote's public page, where each trustee checks the start of their public key."""
    own = getattr(target, "get_absolute_url", None)
    return own() if own else target.component.get_absolute_url()


def email_invitations(*, organization, target, invitations, trustees: list[NamedTrustee]) -> list[Delivery]:
    """E-mail each trustee their link now, in the organization's language; returns what was sent.

    A message the mail server refuses is not retried and its link is dropped: the admin is
    told to name the trustees again, which makes new links.
    """
    reply_to = [organization.contact_email] if organization.contact_email else None
    names = [trustee.name for trustee in trustees]
    deliveries = []
    for invitation, trustee in zip(invitations, trustees, strict=True):
        context = {
            "organization": organization,
            "name": trustee.name,
            "index": invitation.index,
            "total": len(invitations),
            "others": [name for index, name in enumerate(names, start=1) if index != invitation.index],
            "vote": " ".join(str(target).split()),
            "space": target.component.space,
            "link": absolute_url(organization, reverse("ballotbox:trustee_key", args=[invitation.token])),
            "public_url": absolute_url(organization, vote_public_path(target)),
        }
        with translation.override(organization.default_locale or settings.LANGUAGE_CODE):
            subject = render_subject("ballotbox/email/trustee_invitation_subject.txt", context)
            text_body = render_text("ballotbox/email/trustee_invitation.txt", context)
            html_body = render_to_string("ballotbox/email/trustee_invitation.html", context)
        message = EmailMultiAlternatives(
            subject=subject,
            body=text_body,
            to=[trustee.email],
            reply_to=reply_to,
            connection=get_connection(timeout=SEND_TIMEOUT),
        )
        message.attach_alternative(html_body, "text/html")
        try:
            message.send()
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; a bad header a ValueError
            # Neither the link nor the address goes to the log.
            logger.warning("A trustee's invitation could not be sent (%s).", type(error).__name__)
            sent = False
        else:
            sent = True
        deliveries.append(Delivery(index=invitation.index, name=trustee.name, email=trustee.email, sent=sent))
    return deliveries
