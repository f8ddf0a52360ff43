"""iCalendar (RFC 5545) writing: CRLF line ends, TEXT escaping, 75-octet folding, UTC times.

Framework-free; ``python -m civitas.components.meetings.ical`` prints a sample calendar.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    last_modified: datetime.datetime | None = None
    cancelled: bool = False


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    pieces, current, size = [], [], 0
    limit = MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = MAX_OCTETS - 1  # continuation lines start with one space
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _line(name: str, value: str) -> str:
    return fold(f"{name}:{value}") + CRLF


def calendar(events: Iterable[Event], *, name: str, stamp: datetime.datetime, product: str) -> str:
    out = [
        _line("BEGIN", "VCALENDAR"),
        _line("VERSION", "2.0"),
        _line("PRODID", escape_text(product)),
        _line("CALSCALE", "GREGORIAN"),
        _line("METHOD", "PUBLISH"),
        _line("X-WR-CALNAME", escape_text(name)),
    ]
    for event in events:
        out += [
            _line("BEGIN", "VEVENT"),
            _line("UID", event.uid),
            _line("DTSTAMP", utc(stamp)),
            _line("DTSTART", utc(event.start)),
            _line("DTEND", utc(event.end)),
            _line("SUMMARY", escape_text(event.summary)),
        ]
        if event.description:
            out.append(_line("DESCRIPTION", escape_text(event.description)))
        if event.location:
            out.append(_line("LOCATION", escape_text(event.location)))
        if event.url:
            out.append(_line("URL;VALUE=URI", event.url))
        if event.last_modified:
            out.append(_line("LAST-MODIFIED", utc(event.last_modified)))
        out.append(_line("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED"))
        out.append(_line("END", "VEVENT"))
    out.append(_line("END", "VCALENDAR"))
    return "".join(out)


if __name__ == "__main__":
    now = datetime.datetime.now(datetime.UTC)
    sample = Event(
        uid="meeting-1@example.org",
        start=now,
        end=now + datetime.timedelta(hours=2),
        summary="Réunion publique; budget, mobilités",
        description="Ordre du jour :\n1. Accueil\n2. " + "Présentation des projets " * 4,
        location="Salle des fêtes, 1 place de la Mairie",
    )
    sys.stdout.write(calendar([sample], name="Exemple", stamp=now, product="-//Civitas//Meetings//FR"))
