"""The spam scan and what follows a score: reports, blocks, held contributions, daily digests.

Every automatic act goes through the moderation services (the same queue, blocks and e-mails
as a moderator's) and into the action log, in the transaction that makes it.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.services import log_action, snapshot
from civitas.core.mail import send_email_after_commit
from civitas.moderation import services as moderation
from civitas.moderation.models import Reason, UserBlock
from civitas.moderation.registry import moderatable_for
from civitas.organizations import links
from civitas.organizations.models import Organization
from civitas.spam import scoring
from civitas.spam.model import ModelUnavailable, SpamModel
from civitas.spam.models import AccountScore, ContributionScore, DigestSent, ScanRun, SpamSettings

logger = logging.getLogger(__name__)
User = get_user_model()
BATCH_SIZE = 1000


def _percent(probability: float) -> str:
    """In the language active when it is called: "93,4 %" in French."""
    return f"{formats.number_format(probability * 100, 1, use_l10n=True)} %"


def _justification(organization, probability: float, version: str) -> str:
    with translation.override(organization.default_locale):
        return _(
            "Automatic spam detection: this account looks like spam with a probability of %(p)s "
            "(model %(model)s)."
        ) % {"p": _percent(probability), "model": version}


def scannable_accounts(organization):
    """Accounts the scan looks at: active participants, never admins, never an account an admin
    restored after a block (the admin's judgement stands)."""
    restored = UserBlock.objects.filter(user=OuterRef("pk"), lifted_at__isnull=False)
    return (
        User.objects.filter(
            organization=organization,
            is_active=True,
            deleted_at__isnull=True,
            is_organization_admin=False,
            is_system_admin=False,
        )
        .exclude(Exists(restored))
        .order_by("pk")
    )


def scan_organization(
    organization, *, batch_size: int = BATCH_SIZE, model: SpamModel | None = None, now=None
) -> ScanRun:
    """Score the accounts that are new or changed since their last score, batch by batch.

    Resumes the organization's unfinished scan if there is one. Without a usable model the
    scan records the error (shown to admins) and touches nobody.
    """
    if model is None:
        try:
            model = scoring.model_for(organization)
        except ModelUnavailable as error:
            return ScanRun.objects.create(
                organization=organization, finished_at=timezone.now(), error=str(error)
            )
    run = ScanRun.objects.filter(organization=organization, finished_at__isnull=True).order_by("-pk").first()
    if run is None:
        run = ScanRun.objects.create(organization=organization, model_version=model.version)
    thresholds = SpamSettings.for_organization(organization)
    while _scan_batch(run, organization, model, thresholds, batch_size, now or timezone.now()):
        pass
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run


def _scan_batch(run, organization, model, thresholds, batch_size, now) -> bool:
    rows = list(
        scannable_accounts(organization).filter(pk__gt=run.cursor).values(*scoring.USER_FIELDS)[:batch_size]
    )
    if not rows:
        return False
    known = {
        score.user_id: score
        for score in AccountScore.objects.filter(user_id__in=[row["pk"] for row in rows]).only(
            "user_id", "fingerprint", "model_version", "reported_at", "blocked_at"
        )
    }

    def is_changed(index: int, fingerprint: str) -> bool:
        score = known.get(rows[index]["pk"])
        return score is None or score.fingerprint != fingerprint or score.model_version != model.version

    samples, fingerprints = scoring.account_samples(rows, now, wanted=is_changed)
    changed = [index for index, sample in enumerate(samples) if sample is not None]
    probabilities = model.predict([samples[index] for index in changed]) if changed else []
    report_at, block_at = float(thresholds.report_threshold), float(thresholds.block_threshold)
    scores, to_report, to_block = [], [], []
    for index, probability in zip(changed, probabilities, strict=True):
        pk, probability = rows[index]["pk"], float(probability)
        previous = known.get(pk)
        score = AccountScore(
            user_id=pk,
            organization=organization,
            probability=probability,
            model_version=model.version,
            fingerprint=fingerprints[index],
            scanned_at=now,
            reported_at=previous.reported_at if previous else None,
            blocked_at=previous.blocked_at if previous else None,
        )
        scores.append(score)
        if probability >= report_at and score.reported_at is None:
            to_report.append(score)
        if probability >= block_at and thresholds.blocking_enabled:
            to_block.append(score)
    for score in to_report:
        score.reported_at = now
    with transaction.atomic():
        AccountScore.objects.bulk_create(
            scores,
            update_conflicts=True,
            unique_fields=["user"],
            update_fields=["probability", "model_version", "fingerprint", "scanned_at", "reported_at"],
        )
        _report_accounts(organization, to_report, model.version)
        acted = {user.pk: user for user in User.objects.filter(pk__in={s.user_id for s in to_block})}
        blocked = sum(
            _block_account(organization, acted[score.user_id], score, model.version, now)
            for score in to_block
        )
        run.cursor = rows[-1]["pk"]
        run.examined += len(rows)
        run.scored += len(scores)
        run.reported += len(to_report)
        run.blocked += blocked
        run.model_version = model.version
        run.save(update_fields=["cursor", "examined", "scored", "reported", "blocked", "model_version"])
    return len(rows) == batch_size


def _report_accounts(organization, scores, version: str) -> None:
    """Report a batch's accounts in a few queries: the queue's reports, then the action log."""
    if not scores:
        return
    with translation.override(organization.default_locale):
        details = {
            score.user_id: _("Automatic spam detection: probability %(p)s (model %(model)s).")
            % {"p": _percent(score.probability), "model": version}
            for score in scores
        }
    moderation.do_system_report_accounts(organization=organization, details_by_user=details)
    nicknames = dict(User.objects.filter(pk__in=details).values_list("pk", "nickname"))
    # The same rows log_action writes, in one insert for the batch.
    ActionLogEntry.objects.bulk_create(
        [
            ActionLogEntry(
                organization=organization,
                user=None,
                action="spam.report_account",
                target_type=User._meta.label,
                target_id=str(score.user_id),
                target_repr=nicknames.get(score.user_id, "")[:300],
                after={"probability": round(score.probability, 4), "model": version},
            )
            for score in scores
        ]
    )


def _block_account(organization, user, score, version: str, now) -> bool:
    if not user.is_active or UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists():
        return False
    moderation.do_system_block_user(
        user=user,
        justification=_justification(organization, score.probability, version),
        action="spam.block_account",
        template="spam/email/blocked",
    )
    AccountScore.objects.filter(pk=score.user_id).update(blocked_at=now)
    return True


# --- contributions ------------------------------------------------------------------------------


def score_contribution(obj, *, model: SpamModel | None = None) -> ContributionScore | None:
    """Score a new comment or proposal once; above the report threshold it is hidden pending review."""
    described = moderatable_for(obj)
    if described is None:
        return None
    organization = described.space_of(obj).organization
    author = described.author_of(obj)
    if author is None or author.is_organization_admin or author.is_system_admin:
        return None
    content_type = ContentType.objects.get_for_model(obj)
    if ContributionScore.objects.filter(content_type=content_type, object_id=obj.pk).exists():
        return None
    if model is None:
        try:
            model = scoring.model_for(organization)
        except ModelUnavailable:
            return None  # the platform keeps working; admins see the problem on the dashboard
    probability = float(model.predict([scoring.contribution_sample(obj)])[0])
    thresholds = SpamSettings.for_organization(organization)
    held = probability >= float(thresholds.report_threshold)
    with transaction.atomic():
        score, created = ContributionScore.objects.get_or_create(
            content_type=content_type,
            object_id=obj.pk,
            defaults={
                "organization": organization,
                "probability": probability,
                "model_version": model.version,
                "held": held,
            },
        )
        if created and held:
            with translation.override(organization.default_locale):
                details = _("Automatic spam detection: probability %(p)s (model %(model)s).") % {
                    "p": _percent(probability),
                    "model": model.version,
                }
                reason = _("Held for review: it looks like spam. A moderator will look at it.")
            moderation.do_system_report(
                organization=organization, resource=obj, reason=Reason.SPAM, details=details
            )
            moderation.do_system_hide(
                organization=organization,
                resource=obj,
                reason=reason,
                action="spam.hold_contribution",
                after={"probability": round(probability, 4), "model": model.version},
            )
    return score


# --- digests ------------------------------------------------------------------------------------


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def daily_counts(organization, day) -> dict:
    start = day_start(day)
    end = start + timedelta(days=1)
    scores = AccountScore.objects.filter(organization=organization)
    return {
        "reported": scores.filter(reported_at__gte=start, reported_at__lt=end).count(),
        "blocked": scores.filter(blocked_at__gte=start, blocked_at__lt=end).count(),
        "held": ContributionScore.objects.filter(
            organization=organization, held=True, scored_at__gte=start, scored_at__lt=end
        ).count(),
    }


def send_digests(organization, *, day=None) -> int:
    """E-mail each admin the day's counts and the queue's address, once per admin per day."""
    day = day or timezone.localdate()
    counts = daily_counts(organization, day)
    status = scoring.model_status(organization)
    base = links.base_url(organization)
    admins = User.objects.filter(
        organization=organization, is_organization_admin=True, is_active=True, deleted_at__isnull=True
    )
    sent = 0
    for admin in admins:
        with transaction.atomic():
            _row, created = DigestSent.objects.get_or_create(user=admin, day=day)
            if not created:
                continue
            send_email_after_commit(
                to=admin.email,
                template="spam/email/digest",
                locale=admin.locale,
                organization=organization,
                context={
                    "user": admin,
                    "day": day,
                    "counts": counts,
                    "model_error": "" if status["ok"] else status["error"],
                    "queue_url": base + reverse("moderation:queue"),
                    "spam_url": base + reverse("spam:admin"),
                },
            )
            sent += 1
    return sent


def daily_run(*, organizations=None) -> dict:
    """The periodic task: scan each organization, then send its digests."""
    summary = {}
    for organization in organizations if organizations is not None else Organization.objects.order_by("pk"):
        run = scan_organization(organization)
        summary[organization.host] = {
            "examined": run.examined,
            "scored": run.scored,
            "reported": run.reported,
            "blocked": run.blocked,
            "error": run.error,
            "digests": send_digests(organization),
        }
    return summary


# --- settings -----------------------------------------------------------------------------------


@transaction.atomic
def do_update_settings(
    *, admin, organization, report_threshold, block_threshold, blocking_enabled
) -> SpamSettings:
    current = SpamSettings.for_organization(organization)
    before = (
        snapshot(current, fields=["report_threshold", "block_threshold", "blocking_enabled"])
        if current.pk
        else None
    )
    current.report_threshold = Decimal(report_threshold)
    current.block_threshold = Decimal(block_threshold)
    current.blocking_enabled = blocking_enabled
    current.full_clean(exclude=["organization"])
    current.save()
    log_action(
        organization=organization,
        user=admin,
        action="spam.update_settings",
        target=current,
        before=before,
        after=snapshot(current, fields=["report_threshold", "block_threshold", "blocking_enabled"]),
    )
    return current
