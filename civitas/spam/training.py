"""Retrain on an organization's own moderation history, on top of the shipped starter data.

Spam: accounts under a block, and contributions hidden by moderation. Legitimate: accounts an
admin restored, contributions held by the scorer and then shown again by a moderator, and
long-active accounts (old enough, contributing, never blocked, nothing hidden). These samples
carry their account features, so the retrained model learns from them as well as from text.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from civitas.actionlog.services import log_action
from civitas.moderation.models import UserBlock
from civitas.moderation.registry import all_moderatables
from civitas.spam import model as spam_model
from civitas.spam import scoring
from civitas.spam.features import Sample
from civitas.spam.models import ContributionScore

User = get_user_model()
LONG_ACTIVE_DAYS = 90
MAX_LEGITIMATE_ACCOUNTS = 5000


def _account_items(rows, spam: bool, now) -> list[spam_model.Labelled]:
    samples, _fingerprints = scoring.account_samples(rows, now)
    return [
        spam_model.Labelled(
            sample, spam, "organization_accounts", spam_model.is_heldout(f"{row['pk']}:{sample.text}")
        )
        for row, sample in zip(rows, samples, strict=True)
    ]


def organization_data(organization, *, now=None) -> list[spam_model.Labelled]:
    now = now or timezone.now()
    accounts = User.objects.filter(
        organization=organization, is_organization_admin=False, is_system_admin=False
    )
    active_blocks = UserBlock.objects.filter(user__organization=organization, lifted_at__isnull=True)
    blocked_rows = []
    previous = {block.user_id: block for block in active_blocks}
    for row in accounts.filter(pk__in=previous).values(*scoring.USER_FIELDS):
        # A block renames the account: learn from the name it had, not from "blocked-123".
        row = {
            **row,
            "nickname": previous[row["pk"]].previous_nickname,
            "name": previous[row["pk"]].previous_name,
        }
        blocked_rows.append(row)
    restored = UserBlock.objects.filter(user=OuterRef("pk"), lifted_at__isnull=False)
    restored_rows = list(
        accounts.filter(Exists(restored)).exclude(pk__in=previous).values(*scoring.USER_FIELDS)
    )
    hidden_authors = set()
    contribution_items: list[spam_model.Labelled] = []
    shown_again = set(
        ContributionScore.objects.filter(organization=organization, held=True).values_list(
            "content_type_id", "object_id"
        )
    )
    for described in all_moderatables():
        model = described.model
        if not hasattr(model, "author"):
            continue
        content_type = ContentType.objects.get_for_model(model)
        for obj in model.objects.filter(author__organization=organization).filter(hidden_at__isnull=False)[
            :5000
        ]:
            hidden_authors.add(obj.author_id)
            text = scoring.contribution_text(obj)
            contribution_items.append(
                spam_model.Labelled(
                    Sample("comment", text), True, "organization_contributions", spam_model.is_heldout(text)
                )
            )
        shown = [object_id for type_id, object_id in shown_again if type_id == content_type.pk]
        for obj in model.objects.filter(pk__in=shown, hidden_at__isnull=True):
            text = scoring.contribution_text(obj)
            contribution_items.append(
                spam_model.Labelled(
                    Sample("comment", text), False, "organization_contributions", spam_model.is_heldout(text)
                )
            )
    long_active = list(
        accounts.filter(
            is_active=True, deleted_at__isnull=True, date_joined__lte=now - timedelta(days=LONG_ACTIVE_DAYS)
        )
        .exclude(pk__in=previous)
        .exclude(pk__in=hidden_authors)
        .exclude(Exists(restored))
        .order_by("-pk")
        .values(*scoring.USER_FIELDS)[: MAX_LEGITIMATE_ACCOUNTS * 2]
    )
    samples, _fingerprints = scoring.account_samples(long_active, now) if long_active else ([], [])
    contributing = [
        row for row, sample in zip(long_active, samples, strict=True) if sample.account.contributions
    ][:MAX_LEGITIMATE_ACCOUNTS]
    items = contribution_items
    if blocked_rows:
        items += _account_items(blocked_rows, True, now)
    if restored_rows + contributing:
        items += _account_items(restored_rows + contributing, False, now)
    return items


def retrain_for(organization, *, admin=None) -> tuple[spam_model.SpamModel, dict]:
    """Train starter + organization data, save as the organization's model, log it."""
    own = organization_data(organization)
    trained = spam_model.train(spam_model.starter_data() + own, version_prefix=f"org{organization.pk}")
    counts = {
        "spam": sum(item.spam for item in own),
        "legitimate": sum(not item.spam for item in own),
    }
    path = scoring.organization_model_path(organization)
    spam_model.save(trained, path)
    with transaction.atomic():
        log_action(
            organization=organization,
            user=admin,
            action="spam.retrain",
            target=organization,
            after={"model": trained.version, "organization_samples": counts},
        )
    return trained, counts
