"""Reports, hiding and blocking. Every act is written to the action log in its transaction,
and the people concerned are told why, after commit."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.actionlog.services import log_action
from civitas.components.freshness import mark_organization_changed
from civitas.core.mail import send_email_after_commit
from civitas.moderation import standing
from civitas.moderation.models import Moderation, Outcome, Report, UserBlock
from civitas.moderation.registry import all_moderatables, moderatable_for
from civitas.notifications.services import notify_later
from civitas.spaces.models import SpaceRole


class ModerationError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _moderation_for(resource, organization) -> Moderation:
    content_type = ContentType.objects.get_for_model(resource)
    described = moderatable_for(resource)
    space = described.space_of(resource) if described else None
    moderation, _created = Moderation.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=resource.pk,
        defaults={"organization": organization, "space": space},
    )
    return moderation


def weight_of_report_by(user) -> Decimal:
    """The reporter's standing (``standing.report_weight``): age of the account, and how
    moderators judged their past reports."""
    outcomes = dict(
        Report.objects.filter(user=user)
        .exclude(outcome=Outcome.PENDING)
        .order_by()
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    age = timezone.now() - user.date_joined
    return standing.report_weight(
        account_age_days=age.total_seconds() / 86400,
        upheld=outcomes.get(Outcome.UPHELD, 0),
        dismissed=outcomes.get(Outcome.DISMISSED, 0),
    )


@transaction.atomic
def do_report(*, user, resource, reason: str, details: str = "") -> Moderation:
    """Record a report, weighed by the reporter's standing; moderators are told of the first
    report of a case at once, and once the weights reach the organization's threshold the
    resource is hidden automatically."""
    organization = user.organization
    if _author_of(resource) == user:
        raise ModerationError(_("You cannot report your own contribution."))
    _before_hidden_change(resource)  # the report may hide it
    moderation = _moderation_for(resource, organization)
    weight = weight_of_report_by(user)
    try:
        with transaction.atomic():
            Report.objects.create(
                moderation=moderation, user=user, reason=reason, details=details, weight=weight
            )
    except IntegrityError as error:
        raise ModerationError(_("You already reported this.")) from error
    opens_a_case = not moderation.reports.filter(outcome=Outcome.PENDING).exclude(user=user).exists()
    Moderation.objects.filter(pk=moderation.pk).update(
        report_count=F("report_count") + 1, report_weight=F("report_weight") + weight
    )
    moderation.refresh_from_db()
    if opens_a_case:
        _tell_moderators(moderation, resource, kind="moderation_reported")
    if moderation.hidden_at is None and moderation.report_weight >= organization.report_threshold:
        _hide(moderation, resource, reason=str(_("Reported by several participants.")))
        log_action(
            organization=organization,
            user=None,
            action="moderation.auto_hide",
            target=resource,
            space=moderation.space,
            after={"reports": moderation.report_count, "weight": str(moderation.report_weight)},
        )
        _tell_moderators(moderation, resource, kind="moderation_auto_hidden")
    return moderation


def moderators_of(moderation) -> list[int]:
    """Who may decide on this case: the organization's admins, and the admins and
    moderators of its space (an account has no space: admins only)."""
    admins = get_user_model().objects.filter(
        organization_id=moderation.organization_id, is_organization_admin=True
    )
    ids = set(admins.values_list("pk", flat=True))
    if moderation.space_id:
        ids |= set(
            SpaceRole.objects.filter(
                space_id=moderation.space_id, role__in=[SpaceRole.Role.ADMIN, SpaceRole.Role.MODERATOR]
            ).values_list("user_id", flat=True)
        )
    return sorted(ids)


def _tell_moderators(moderation, resource, *, kind: str) -> None:
    """A notification (in the platform at once, by e-mail at each one's pace), after commit."""
    described = moderatable_for(resource)
    title = described.title_of(resource) if described else getattr(resource, "nickname", "")
    notify_later(
        kind=kind,
        params={"target": title, "space": moderation.space.title if moderation.space else ""},
        url=reverse("moderation:queue"),
        user_ids=moderators_of(moderation),
    )


@transaction.atomic
def do_system_report(*, organization, resource, reason: str, details: str) -> Moderation:
    """A report made by the platform itself (the spam scan): it has no reporter, weighs as
    much as an established participant's and is listed in the moderation queue with its details."""
    moderation = _moderation_for(resource, organization)
    Report.objects.create(
        moderation=moderation, user=None, reason=reason, details=details, weight=standing.PLATFORM_WEIGHT
    )
    Moderation.objects.filter(pk=moderation.pk).update(
        report_count=F("report_count") + 1, report_weight=F("report_weight") + standing.PLATFORM_WEIGHT
    )
    moderation.refresh_from_db()
    return moderation


@transaction.atomic
def do_system_report_accounts(*, organization, details_by_user: dict) -> None:
    """``do_system_report`` for many accounts at once (the daily scan), in a fixed number of
    queries: accounts have no space, so their moderation records are plain rows."""
    if not details_by_user:
        return
    content_type = ContentType.objects.get_for_model(get_user_model())
    ids = list(details_by_user)
    existing = set(
        Moderation.objects.filter(content_type=content_type, object_id__in=ids).values_list(
            "object_id", flat=True
        )
    )
    Moderation.objects.bulk_create(
        [
            Moderation(organization=organization, content_type=content_type, object_id=pk)
            for pk in ids
            if pk not in existing
        ],
        ignore_conflicts=True,
    )
    moderations = dict(
        Moderation.objects.filter(content_type=content_type, object_id__in=ids).values_list("object_id", "pk")
    )
    reason = "spam"
    Report.objects.bulk_create(
        [
            Report(
                moderation_id=moderations[pk],
                user=None,
                reason=reason,
                details=details,
                weight=standing.PLATFORM_WEIGHT,
            )
            for pk, details in details_by_user.items()
        ]
    )
    Moderation.objects.filter(pk__in=moderations.values()).update(
        report_count=F("report_count") + 1,
        report_weight=F("report_weight") + standing.PLATFORM_WEIGHT,
        updated_at=timezone.now(),
    )


@transaction.atomic
def do_system_hide(*, organization, resource, reason: str, action: str, after=None) -> Moderation:
    """Hide pending review, decided by the platform (a contribution that looks like spam)."""
    _before_hidden_change(resource)
    moderation = _moderation_for(resource, organization)
    if moderation.hidden_at is None:
        _hide(moderation, resource, reason=reason)
        log_action(
            organization=organization,
            user=None,
            action=action,
            target=resource,
            space=moderation.space,
            after=after,
        )
    return moderation


def _author_of(resource):
    if isinstance(resource, get_user_model()):
        return resource
    described = moderatable_for(resource)
    return described.author_of(resource) if described else None


def _hide(moderation, resource, *, reason: str) -> None:
    now = timezone.now()
    # The resource and what depends on it first, the moderation record (which bumps the
    # space's content versions) after: a new comment locks in that order too.
    if hasattr(resource, "hidden_at"):
        type(resource).objects.filter(pk=resource.pk).update(hidden_at=now)
        _hidden_changed(resource, [resource.pk])
    moderation.hidden_at, moderation.hidden_reason = now, reason
    moderation.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    _tell_author(resource, "moderation/email/hidden", reason)


def _before_hidden_change(resource) -> None:
    described = moderatable_for(resource)
    if described is not None and hasattr(resource, "hidden_at"):
        described.before_hidden_change([resource.pk])


def _hidden_changed(model_or_resource, ids) -> None:
    described = moderatable_for(model_or_resource)
    if described is not None:
        described.after_hidden_changed(ids)


def _tell_author(resource, template: str, reason: str) -> None:
    author = _author_of(resource)
    if author is None or author.is_deleted:
        return
    described = moderatable_for(resource)
    send_email_after_commit(
        to=author.email,
        template=template,
        locale=author.locale,
        organization=author.organization,
        context={
            "user": author,
            "title": described.title_of(resource) if described else "",
            "reason": reason,
        },
    )


@transaction.atomic
def do_hide(*, moderator, moderation, reason: str) -> None:
    resource = moderation.resource
    _before_hidden_change(resource)
    if moderation.hidden_at is not None:
        raise ModerationError(_("This is already hidden."))
    _hide(moderation, resource, reason=reason)
    _judge_reports(moderation, Outcome.UPHELD)
    log_action(
        organization=moderation.organization,
        user=moderator,
        action="moderation.hide",
        target=resource,
        space=moderation.space,
        after={"reason": reason},
    )


@transaction.atomic
def do_unhide(*, moderator, moderation) -> None:
    resource = moderation.resource
    _before_hidden_change(resource)
    if moderation.hidden_at is None:
        raise ModerationError(_("This is not hidden."))
    if hasattr(resource, "hidden_at"):  # in the order of _hide
        type(resource).objects.filter(pk=resource.pk).update(hidden_at=None)
        _hidden_changed(resource, [resource.pk])
    moderation.hidden_at, moderation.hidden_reason = None, ""
    moderation.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    # Shown again: the reports that hid it were wrong, including any a moderator upheld.
    _judge_reports(moderation, Outcome.DISMISSED, also=[Outcome.UPHELD])
    _tell_author(resource, "moderation/email/unhidden", "")
    log_action(
        organization=moderation.organization,
        user=moderator,
        action="moderation.unhide",
        target=resource,
        space=moderation.space,
    )


def _judge_reports(moderation, outcome: str, *, also=()) -> int:
    """Record a moderator's decision on the case's reports; the case starts again from zero."""
    judged = moderation.reports.filter(outcome__in=[Outcome.PENDING, *also]).update(outcome=outcome)
    Moderation.objects.filter(pk=moderation.pk).update(report_weight=0, updated_at=timezone.now())
    moderation.report_weight = 0
    return judged


def _judge_account_reports(user, outcome: str, *, also=()) -> None:
    content_type = ContentType.objects.get_for_model(get_user_model())
    case = Moderation.objects.filter(content_type=content_type, object_id=user.pk).first()
    if case is not None:
        _judge_reports(case, outcome, also=also)


@transaction.atomic
def do_dismiss(*, moderator, moderation) -> None:
    """Keep a reported resource visible: its reports are dismissed and leave the queue."""
    if moderation.hidden_at is not None:
        raise ModerationError(_("This is hidden: show it again instead."))
    judged = _judge_reports(moderation, Outcome.DISMISSED)
    if not judged:
        raise ModerationError(_("There is no report to dismiss."))
    log_action(
        organization=moderation.organization,
        user=moderator,
        action="moderation.dismiss",
        target=moderation.resource,
        space=moderation.space,
        after={"reports": judged},
    )


@transaction.atomic
def do_block_user(*, admin, user, justification: str) -> UserBlock:
    """Block an account: it cannot log in, its contributions are hidden, its profile renamed."""
    if user.organization_id != admin.organization_id or user.is_organization_admin or user == admin:
        raise ModerationError(_("This account cannot be blocked."))
    # User managers answer to the admins: one of them may not silence another.
    if user.is_user_manager and not admin.is_organization_admin:
        raise ModerationError(_("This account cannot be blocked."))
    return _block_user(
        user=user,
        blocked_by=admin,
        justification=justification,
        action="moderation.block_user",
        template="moderation/email/blocked",
    )


@transaction.atomic
def do_system_block_user(*, user, justification: str, action: str, template: str) -> UserBlock:
    """A block decided by the platform itself (the spam scan): no admin, same effects and log."""
    if user.is_organization_admin or user.is_system_admin or user.organization_id is None:
        raise ModerationError(_("This account cannot be blocked."))
    return _block_user(
        user=user, blocked_by=None, justification=justification, action=action, template=template
    )


def _block_user(*, user, blocked_by, justification: str, action: str, template: str) -> UserBlock:
    if UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists():
        raise ModerationError(_("This account is already blocked."))
    now = timezone.now()
    to_hide = {
        described: list(
            described.model.objects.filter(author=user, hidden_at__isnull=True).values_list("pk", flat=True)
        )
        for described in all_moderatables()
        if hasattr(described.model, "author")
    }
    _change_hidden(to_hide, hidden_at=now, organization_id=user.organization_id)
    hidden = [[described.model._meta.label_lower, pk] for described, ids in to_hide.items() for pk in ids]
    block = UserBlock.objects.create(
        user=user,
        blocked_by=blocked_by,
        justification=justification,
        previous_name=user.name,
        previous_nickname=user.nickname,
        hidden_items=hidden,
    )
    if blocked_by is not None:
        # An admin's decision on the account: the reports made against it were right.
        _judge_account_reports(user, Outcome.UPHELD)
    email = user.email
    user.name = str(_("Blocked participant"))
    user.nickname = f"blocked-{user.pk}"
    user.is_active = False
    user.save(update_fields=["name", "nickname", "is_active"])
    send_email_after_commit(
        to=email,
        template=template,
        locale=user.locale,
        organization=user.organization,
        context={"user": user, "name": block.previous_name, "justification": justification},
    )
    log_action(
        organization=user.organization,
        user=blocked_by,
        action=action,
        target=user,
        after={"justification": justification, "hidden": len(hidden)},
    )
    return block


def _change_hidden(ids_by_moderatable: dict, *, hidden_at, organization_id: int) -> None:
    """Hide or restore many contributions at once (blocking and unblocking an account).

    Locks come in the order a single contribution's actions take them: the rows that
    depend on the contributions first (``before_hidden_change``), then every content
    version of the organization, then the contributions themselves.
    """
    for described, ids in ids_by_moderatable.items():
        described.before_hidden_change(ids)
    mark_organization_changed(organization_id)
    for described, ids in ids_by_moderatable.items():
        described.model.objects.filter(pk__in=ids).update(hidden_at=hidden_at)
        described.after_hidden_changed(ids)


@transaction.atomic
def do_unblock_user(*, admin, user) -> None:
    """Lift the block: nickname, name, access and exactly the contributions it hid come back."""
    block = UserBlock.objects.select_for_update().filter(user=user, lifted_at__isnull=True).first()
    if block is None or user.organization_id != admin.organization_id:
        raise ModerationError(_("This account is not blocked."))
    taken = get_user_model().objects.filter(
        organization=user.organization, nickname__iexact=block.previous_nickname
    )
    user.nickname = (
        block.previous_nickname
        if not taken.exclude(pk=user.pk).exists()
        else f"{block.previous_nickname[:24]}-{user.pk}"
    )
    user.name = block.previous_name
    user.is_active = True
    user.save(update_fields=["name", "nickname", "is_active"])
    by_model: dict[str, list[int]] = {}
    for label, pk in block.hidden_items:
        by_model.setdefault(label, []).append(pk)
    to_restore = {
        described: by_model[described.model._meta.label_lower]
        for described in all_moderatables()
        if by_model.get(described.model._meta.label_lower)
    }
    _change_hidden(to_restore, hidden_at=None, organization_id=user.organization_id)
    _judge_account_reports(user, Outcome.DISMISSED, also=[Outcome.UPHELD])
    block.lifted_at, block.lifted_by = timezone.now(), admin
    block.save(update_fields=["lifted_at", "lifted_by"])
    log_action(
        organization=user.organization,
        user=admin,
        action="moderation.unblock_user",
        target=user,
        after={"restored": len(block.hidden_items)},
    )
