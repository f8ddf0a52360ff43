"""Amendment actions. ``check_*`` says whether an action is allowed, ``do_*`` performs it.

Locks are taken in one order, the target's row before the amendment's, so that an
acceptance and an edit of the same amendment queue up: the acceptance then applies the
words as last edited. Accepting is refused when the target has a version newer than the
one the amendment was written against (civitas.versions): the amendment would otherwise
undo that other change without anyone seeing it.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civitas.amendments import registry
from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.amendments.queries import entry_of, is_decider, may_see_amendment, target_of
from civitas.core.richtext import sanitize_html
from civitas.notifications.kinds import register_kind
from civitas.notifications.services import notify_later
from civitas.versions.models import Version
from civitas.versions.services import changed_since, latest_version, record_version

register_kind("amendment_created", _("“%(target)s” received an amendment from %(amender)s."))
register_kind("amendment_accepted", _("Your amendment to “%(target)s” was accepted."))
register_kind("amendment_rejected", _("Your amendment to “%(target)s” was rejected."))


class AmendmentError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class AmendmentConflict(AmendmentError):
    """The target changed after ``base`` (a Version) : ``newer`` is its latest version."""

    def __init__(self, message, *, base, newer):
        super().__init__(message)
        self.base, self.newer = base, newer


def _clean_fields(entry, fields: dict) -> dict:
    cleaned = {name: (fields.get(name) or "").strip() for name in entry.fields}
    for name in entry.rich_fields:
        cleaned[name] = sanitize_html(cleaned[name])
    if "title" in cleaned:
        cleaned["title"] = " ".join(cleaned["title"].split())
    return cleaned


def _validate(entry, target, fields: dict) -> None:
    problems = entry.validate(target, fields) if entry.validate else {}
    if problems:
        raise AmendmentError(" ".join(str(message) for message in problems.values()))
    if fields == _clean_fields(entry, entry.current_fields(target)):
        raise AmendmentError(_("Your amendment changes nothing in the text."))


def _lock(model, pk):
    return model._default_manager.select_for_update().get(pk=pk)


def _base_of(target) -> Version:
    """The target's latest version, recorded now if it has none yet (content older than
    the version history): an amendment always names a version it was written against."""
    return latest_version(target) or record_version(target, author=None)


def check_can_amend(user, target, entry=None) -> None:
    entry = entry or registry.for_model(target)
    component = entry.component_of(target)
    if not user.is_authenticated or not entry.can_view(user, target):
        raise AmendmentError(_("This text cannot be amended."))
    if not user.has_perm(entry.permissions.amend, component):
        raise AmendmentError(_("Amendments are closed here for now."))
    if not entry.is_open(target):
        raise AmendmentError(_("This text no longer takes amendments."))
    if is_decider(user, entry, target):
        raise AmendmentError(_("You cannot amend your own text: edit it instead."))


@transaction.atomic
def do_create(*, user, target, fields: dict, base_version: int) -> Amendment:
    """A new amendment, written against version ``base_version`` of the target (the one its
    form started from): refused if the target changed since, so nobody amends words that
    are no longer there."""
    entry = registry.for_model(target)
    target = _lock(entry.model, target.pk)
    check_can_amend(user, target, entry)
    base = _base_of(target)
    if base_version != base.number:
        started = Version.objects.filter(
            content_type=base.content_type_id, object_id=target.pk, number=base_version
        ).first()
        raise AmendmentConflict(
            _(
                "The text changed while you were writing your amendment. Here is what changed; "
                "check your amendment and send it again."
            ),
            base=started or base,
            newer=base,
        )
    cleaned = _clean_fields(entry, fields)
    _validate(entry, target, cleaned)
    component = entry.component_of(target)
    amendment = Amendment.objects.create(
        component=component,
        content_type_id=base.content_type_id,
        object_id=target.pk,
        amender=user,
        base_version=base.number,
        **cleaned,
    )
    amendment._target = target
    record_version(amendment, author=user)
    notify_later(
        kind="amendment_created",
        params={"space": component.space.title, "target": _title(entry, target), "amender": user.public_name},
        url=amendment.get_absolute_url(),
        user_ids=[pk for pk in entry.deciders_of(target) if pk != user.pk],
    )
    return amendment


def _title(entry, target) -> str:
    return getattr(target, "title", "") or str(target)


def _locked_amendment(amendment) -> tuple[registry.Amendable, object, Amendment]:
    """The target's row, then the amendment's, both locked and read afresh."""
    entry = entry_of(amendment)
    target = _lock(entry.model, amendment.object_id)
    locked = (
        Amendment.objects.select_for_update()
        .select_related("component__space", "amender")
        .get(pk=amendment.pk)
    )
    if hasattr(target, "component_id") and target.component_id == locked.component_id:
        target.component = locked.component
    locked._target = target
    return entry, target, locked


def _check_amender(user, amendment) -> None:
    if not user.is_authenticated or amendment.amender_id != user.pk:
        raise AmendmentError(_("Only the person who wrote this amendment can do that."))
    if not amendment.is_pending:
        raise AmendmentError(_("This amendment was already decided on or withdrawn."))
    if amendment.hidden_at is not None:
        raise AmendmentError(_("This amendment was hidden by moderation."))


@transaction.atomic
def do_edit(*, amendment, user, fields: dict) -> Amendment:
    entry, target, amendment = _locked_amendment(amendment)
    _check_amender(user, amendment)
    cleaned = _clean_fields(entry, fields)
    _validate(entry, target, cleaned)
    for name, value in cleaned.items():
        setattr(amendment, name, value)
    amendment.save(update_fields=[*cleaned, "updated_at"])
    record_version(amendment, author=user)
    return amendment


@transaction.atomic
def do_withdraw(*, amendment, user) -> None:
    _entry, _target, amendment = _locked_amendment(amendment)
    _check_amender(user, amendment)
    amendment.state = Amendment.State.WITHDRAWN
    amendment.withdrawn_at = timezone.now()
    amendment.save(update_fields=["state", "withdrawn_at", "updated_at"])


def _check_decider(user, entry, target, amendment) -> None:
    if not is_decider(user, entry, target) or not may_see_amendment(user, amendment):
        raise AmendmentError(_("Only the authors of the text decide on its amendments."))
    if not amendment.is_pending:
        raise AmendmentError(_("This amendment was already decided on or withdrawn."))
    if amendment.hidden_at is not None:
        raise AmendmentError(_("This amendment was hidden by moderation."))
    if not entry.is_open(target):
        raise AmendmentError(_("This text no longer takes amendments."))


@transaction.atomic
def do_accept(*, amendment, user) -> Version:
    """The target takes the amendment's words, as a new version that names the amendment."""
    entry, target, amendment = _locked_amendment(amendment)
    _check_decider(user, entry, target, amendment)
    newer = changed_since(target, amendment.base_version)
    if newer is not None:
        base = Version.objects.filter(
            content_type=newer.content_type_id, object_id=target.pk, number=amendment.base_version
        ).first()
        raise AmendmentConflict(
            _(
                "The text changed after this amendment was written: accepting it would undo that "
                "change. Nothing was changed. Here is what changed since; the amender may write "
                "a new amendment on the current text."
            ),
            base=base or newer,
            newer=newer,
        )
    entry.apply(target, {name: getattr(amendment, name) for name in entry.fields})
    version = record_version(
        target,
        author=amendment.amender,
        note=gettext("Amendment no. %(number)s by %(amender)s, accepted")
        % {"number": amendment.pk, "amender": amendment.amender.public_name},
    )
    amendment.state = Amendment.State.ACCEPTED
    amendment.decided_by, amendment.decided_at = user, timezone.now()
    amendment.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    _tell_amender(entry, target, amendment, "amendment_accepted")
    return version


@transaction.atomic
def do_reject(*, amendment, user, reason: str = "") -> None:
    entry, target, amendment = _locked_amendment(amendment)
    _check_decider(user, entry, target, amendment)
    reason = reason.strip()
    if len(reason) > 2000:
        raise AmendmentError(_("Please keep the reason under 2,000 characters."))
    amendment.state = Amendment.State.REJECTED
    amendment.rejection_reason = reason
    amendment.decided_by, amendment.decided_at = user, timezone.now()
    amendment.save(update_fields=["state", "rejection_reason", "decided_by", "decided_at", "updated_at"])
    _tell_amender(entry, target, amendment, "amendment_rejected")


def _tell_amender(entry, target, amendment, kind: str) -> None:
    notify_later(
        kind=kind,
        params={"space": amendment.component.space.title, "target": _title(entry, target)},
        url=amendment.get_absolute_url(),
        user_ids=[amendment.amender_id],
    )


@transaction.atomic
def do_promote(*, amendment, user):
    """A rejected amendment becomes its amender's own content, linked both ways."""
    entry, target, amendment = _locked_amendment(amendment)
    if entry.promote is None:
        raise AmendmentError(_("Amendments here cannot become texts of their own."))
    if not user.is_authenticated or amendment.amender_id != user.pk:
        raise AmendmentError(_("Only the person who wrote this amendment can do that."))
    if amendment.state != Amendment.State.REJECTED:
        raise AmendmentError(_("Only a rejected amendment can become a text of its own."))
    if amendment.is_promoted:
        raise AmendmentError(_("This amendment already became a text of its own."))
    if amendment.hidden_at is not None:
        raise AmendmentError(_("This amendment was hidden by moderation."))
    if not user.has_perm(entry.permissions.promote, amendment.component):
        raise AmendmentError(_("Turning amendments into texts of their own is closed here for now."))
    created = entry.promote(amendment, user)
    amendment.promoted_id = created.pk
    amendment.save(update_fields=["promoted_id", "updated_at"])
    return created


def _check_can_react(user, amendment) -> registry.Amendable:
    entry = entry_of(amendment)
    if not may_see_amendment(user, amendment):
        raise AmendmentError(_("This amendment cannot be supported."))
    if not user.has_perm(entry.permissions.react, amendment.component):
        raise AmendmentError(_("Reactions to amendments are closed here for now."))
    return entry


@transaction.atomic
def do_support(*, amendment, user) -> AmendmentSupport:
    _check_can_react(user, amendment)
    if amendment.amender_id == user.pk:
        raise AmendmentError(_("You cannot support your own amendment."))
    if not amendment.is_pending or amendment.hidden_at is not None:
        raise AmendmentError(_("Only an amendment awaiting its decision can be supported."))
    try:
        # The unique pair refuses a second support, even from two requests at once; the
        # counter moves only when the row is really added.
        with transaction.atomic():
            support = AmendmentSupport.objects.create(
                amendment=amendment, user=user, component=amendment.component
            )
    except IntegrityError as error:
        raise AmendmentError(_("You already support this amendment.")) from error
    Amendment.objects.filter(pk=amendment.pk).update(support_count=F("support_count") + 1)
    return support


@transaction.atomic
def do_withdraw_support(*, amendment, user) -> None:
    _check_can_react(user, amendment)
    deleted, _rows = AmendmentSupport.objects.filter(amendment=amendment, user=user).delete()
    if not deleted:
        raise AmendmentError(_("You do not support this amendment."))
    Amendment.objects.filter(pk=amendment.pk).update(support_count=F("support_count") - 1)


def base_fields(amendment) -> dict:
    """The target's words the amendment started from (its base version)."""
    version = Version.objects.filter(
        content_type=amendment.content_type_id, object_id=amendment.object_id, number=amendment.base_version
    ).first()
    if version is not None:
        return version.fields
    entry = entry_of(amendment)
    return entry.current_fields(target_of(amendment, entry))
