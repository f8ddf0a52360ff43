"""The participants list and its CSV export: one filtered query, its facts as annotations.

Whether someone is verified, blocked or reported is an ``EXISTS`` on the same query, so a
page of the list costs two queries (the count and the page) whatever the number of
accounts, and the export streams from one query with an iterator.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.authorizations.models import Authorization
from civitas.core.streaming import short_reads
from civitas.moderation.models import Moderation, UserBlock

User = get_user_model()

ACTIVE_DAYS = (7, 30, 90, 365)
YES, NO = "yes", "no"


@dataclass(frozen=True)
class Filters:
    q: str = ""
    verified: str = ""
    blocked: str = ""
    reported: str = ""
    active: int | None = None

    @classmethod
    def from_data(cls, data) -> "Filters":
        """Read the query string; a value outside the offered choices is ignored, not an error."""

        def yes_no(name: str) -> str:
            value = data.get(name, "")
            return value if value in (YES, NO) else ""

        try:
            active = int(data.get("active", ""))
        except ValueError:
            active = None
        return cls(
            q=data.get("q", "").strip()[:100],
            verified=yes_no("verified"),
            blocked=yes_no("blocked"),
            reported=yes_no("reported"),
            active=active if active in ACTIVE_DAYS else None,
        )

    def as_dict(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if value not in ("", None)}


def participants(organization, filters: Filters, *, sees_email: bool):
    """The organization's accounts (not system admins, not deleted) matching ``filters``.

    E-mail addresses are searched by admins; a user manager may find someone by the exact
    address they write from, but never by a part of it (that would list addresses).
    """
    account_type = ContentType.objects.get_for_model(User)
    people = User.objects.filter(organization=organization, deleted_at__isnull=True, is_system_admin=False)
    people = people.annotate(
        verified=Exists(Authorization.objects.filter(user=OuterRef("pk"))),
        blocked=Exists(UserBlock.objects.filter(user=OuterRef("pk"), lifted_at__isnull=True)),
        reported=Exists(
            Moderation.objects.filter(content_type=account_type, object_id=OuterRef("pk"), report_count__gt=0)
        ),
    )
    if filters.q:
        typed = filters.q.lstrip("@")
        found = Q(nickname__icontains=typed) | Q(name__icontains=filters.q)
        found |= Q(email__icontains=filters.q) if sees_email else Q(email__iexact=filters.q)
        people = people.filter(found)
    for name in ("verified", "blocked", "reported"):
        value = getattr(filters, name)
        if value:
            people = people.filter(**{name: value == YES})
    if filters.active:
        people = people.filter(last_login__gte=timezone.now() - datetime.timedelta(days=filters.active))
    return people.order_by("-date_joined", "-pk")


# The export gives each role what its work needs and nothing more (GDPR, data minimisation):
# - nickname and name: to recognise the person a verification, a report or a block is about;
# - joined, last log-in: to tell a dormant account from an active one (the "active" filter);
# - e-mail confirmed, verified, blocked, reported: the states a user manager acts on;
# - e-mail address: organization admins only. It is the one contact datum, needed for the
#   organization's own duties (answering a request, a data-subject request); a user manager
#   works inside the platform and has no need to take addresses out of it.
# The id stays out: it identifies nobody to a reader and would only ease joining files.
COMMON_COLUMNS = [
    "nickname",
    "name",
    "joined",
    "last_login",
    "email_confirmed",
    "verified",
    "blocked",
    "reported",
]
ADMIN_COLUMNS = ["nickname", "name", "email", *COMMON_COLUMNS[2:]]


# How the page names the columns (the file's header keeps the names above, stable for scripts).
COLUMN_LABELS = {
    "nickname": _("nickname"),
    "name": _("name"),
    "email": _("e-mail address"),
    "joined": _("date joined"),
    "last_login": _("last log-in"),
    "email_confirmed": _("e-mail confirmed"),
    "verified": _("verified"),
    "blocked": _("blocked"),
    "reported": _("reported"),
}


def export_columns(*, sees_email: bool) -> list[str]:
    return ADMIN_COLUMNS if sees_email else COMMON_COLUMNS


def export_rows(people):
    def day(value) -> str:
        return timezone.localtime(value).date().isoformat() if value else ""

    fields = ["nickname", "name", "email", "date_joined", "last_login", "email_confirmed_at"]
    # Short queries, oldest account first: a stalled download holds no read snapshot open.
    for person in short_reads(people.only(*fields)):
        yield {
            "nickname": person.nickname,
            "name": person.name,
            "email": person.email,
            "joined": day(person.date_joined),
            "last_login": day(person.last_login),
            "email_confirmed": YES if person.email_confirmed_at else NO,
            "verified": YES if person.verified else NO,
            "blocked": YES if person.blocked else NO,
            "reported": YES if person.reported else NO,
        }
