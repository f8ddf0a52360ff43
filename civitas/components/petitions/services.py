"""Petitions: drafting with co-promoters, review, signing, withdrawal, thresholds, answer.

``check_…`` says why something cannot be done (a translated sentence) or returns None;
``do_…`` changes data in one transaction and logs what an admin or moderator decided.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.identity import identity_handlers, verified_identity
from civitas.components.petitions.models import (
    COUNTER_SHARDS,
    Milestone,
    Petition,
    Promoter,
    Signature,
    SignatureAggregate,
    SignatureCounter,
    Status,
    today,
)
from civitas.components.petitions.pseudonyms import (
    departement_of,
    person_pseudonym,
    pseudonym_key,
    signer_pseudonym,
)
from civitas.notifications.kinds import register_kind
from civitas.notifications.services import notify_later
from civitas.sealing.receipts import new_receipt_code, normalize_receipt_code, receipt_hash
from civitas.spaces.models import SpaceRole

register_kind("petition_submitted", gettext_lazy("A petition awaits review in “%(space)s”: %(target)s."))
register_kind(
    "petition_milestone",
    gettext_lazy("The petition “%(target)s” reached its threshold (%(threshold)s): %(milestone)s."),
)
register_kind("petition_invited", gettext_lazy("You are invited to co-promote the petition “%(target)s”."))
register_kind("petition_reviewed", gettext_lazy("Your petition “%(target)s” was %(decision)s."))
register_kind("petition_answered", gettext_lazy("The petition “%(target)s” received its official answer."))

MAX_PROMOTERS = 10
DEFAULT_SIGNING_DAYS = 90


class PetitionError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class AlreadySigned(PetitionError):
    pass


def _key() -> bytes:
    return pseudonym_key(settings.CIVITAS_BALLOT_KEY)


def _log(petition: Petition, user, action: str, *, before=None, after=None) -> None:
    space = petition.component.space
    log_action(
        organization=space.organization,
        user=user,
        action=action,
        target=petition,
        space=space,
        before=before,
        after=after,
    )


def reviewers_of(petition: Petition) -> list[int]:
    """The organization's admins and the space's admins and moderators."""
    space = petition.component.space
    ids = set(
        get_user_model()
        .objects.filter(organization_id=space.organization_id, is_organization_admin=True)
        .values_list("pk", flat=True)
    )
    ids |= set(
        SpaceRole.objects.filter(
            space=space, role__in=[SpaceRole.Role.ADMIN, SpaceRole.Role.MODERATOR]
        ).values_list("user_id", flat=True)
    )
    return sorted(ids)


# --- Drafting -----------------------------------------------------------------------


def check_can_draft(user, component) -> str | None:
    if not user.has_perm("petitions.create", component):
        return _("Petitions cannot be submitted in this space at the moment.")
    return None


@transaction.atomic
def do_draft(*, user, component, title: str, body: str) -> Petition:
    reason = check_can_draft(user, component)
    if reason:
        raise PetitionError(reason)
    return Petition.objects.create(component=component, author=user, title=title, body=body)


def _check_author_may_edit(petition: Petition, user) -> None:
    if petition.author_id != user.pk:
        raise PetitionError(_("Only the author can change this petition."))
    if petition.status != Status.DRAFT:
        raise PetitionError(_("This petition is no longer a draft: it cannot change."))


@transaction.atomic
def do_edit_draft(*, petition: Petition, user, title: str, body: str) -> Petition:
    _check_author_may_edit(petition, user)
    petition.title, petition.body = title, body
    petition.save(update_fields=["title", "body", "updated_at"])
    return petition


@transaction.atomic
def do_invite_promoter(*, petition: Petition, user, email: str) -> Promoter:
    _check_author_may_edit(petition, user)
    invitee = (
        get_user_model()
        .objects.filter(organization_id=user.organization_id, email__iexact=email.strip(), is_active=True)
        .first()
    )
    if invitee is None:
        raise PetitionError(_("No participant of this platform has this e-mail address."))
    if invitee.pk == user.pk:
        raise PetitionError(_("You are already the author of this petition."))
    if petition.promoters.count() >= MAX_PROMOTERS:
        raise PetitionError(_("A petition has at most %(max)s co-promoters.") % {"max": MAX_PROMOTERS})
    try:
        with transaction.atomic():
            promoter = Promoter.objects.create(petition=petition, user=invitee)
    except IntegrityError:
        raise PetitionError(_("This person is already invited.")) from None
    notify_later(
        kind="petition_invited",
        params={"target": petition.title},
        url=petition.get_absolute_url(),
        user_ids=[invitee.pk],
    )
    return promoter


@transaction.atomic
def do_remove_promoter(*, petition: Petition, user, promoter_id: int) -> None:
    _check_author_may_edit(petition, user)
    petition.promoters.filter(pk=promoter_id).delete()


@transaction.atomic
def do_answer_invitation(*, petition: Petition, user, accept: bool) -> None:
    promoter = petition.promoters.filter(user=user).first()
    if promoter is None:
        raise PetitionError(_("You are not invited to promote this petition."))
    if petition.status != Status.DRAFT:
        raise PetitionError(_("This petition is no longer a draft: it cannot change."))
    if accept:
        promoter.accepted_at = promoter.accepted_at or timezone.now()
        promoter.save(update_fields=["accepted_at"])
    else:
        promoter.delete()


def check_can_submit(petition: Petition) -> str | None:
    if petition.status != Status.DRAFT:
        return _("This petition has already been submitted.")
    if petition.promoters.filter(accepted_at__isnull=True).exists():
        return _("Every co-promoter must accept before the petition is submitted (or be removed).")
    return None


@transaction.atomic
def do_submit(*, petition: Petition, user) -> None:
    if petition.author_id != user.pk:
        raise PetitionError(_("Only the author can change this petition."))
    petition = Petition.objects.select_for_update().select_related("component__space").get(pk=petition.pk)
    reason = check_can_submit(petition)
    if reason:
        raise PetitionError(reason)
    petition.status, petition.submitted_at = Status.SUBMITTED, timezone.now()
    petition.save(update_fields=["status", "submitted_at", "updated_at"])
    notify_later(
        kind="petition_submitted",
        params={"target": petition.title, "space": petition.component.space.title},
        url=petition.get_absolute_url(),
        user_ids=reviewers_of(petition),
    )


# --- Review -------------------------------------------------------------------------


def thresholds_for(component) -> dict[str, int]:
    """The component's thresholds: an absolute number, or a share of the residents."""
    values = component.current_settings()
    answer = values.get("answer_threshold") or 0
    percent, residents = values.get("answer_threshold_percent") or 0, values.get("residents") or 0
    if not answer and percent and residents:
        answer = math.ceil(residents * percent / 100)
    return {"answer": answer, "debate": values.get("debate_threshold") or 0}


def default_deadline(component, day: datetime.date | None = None) -> datetime.date:
    days = component.current_settings().get("signing_days") or DEFAULT_SIGNING_DAYS
    return (day or today()) + datetime.timedelta(days=days)


def _locked_for_review(petition: Petition) -> Petition:
    locked = Petition.objects.select_for_update().select_related("component__space").get(pk=petition.pk)
    if locked.status != Status.SUBMITTED:
        raise PetitionError(_("This petition is not awaiting review."))
    return locked


@transaction.atomic
def do_publish(*, petition: Petition, user, deadline: datetime.date, identity_handler: str) -> Petition:
    petition = _locked_for_review(petition)
    if deadline < today():
        raise PetitionError(_("The last day of signing cannot be in the past."))
    if identity_handler not in identity_handlers():
        raise PetitionError(_("This identity cannot be required: no such verification is set up."))
    before = snapshot(petition)
    thresholds = thresholds_for(petition.component)
    petition.status, petition.published_on = Status.PUBLISHED, today()
    petition.deadline, petition.identity_handler = deadline, identity_handler
    petition.answer_threshold, petition.debate_threshold = thresholds["answer"], thresholds["debate"]
    petition.reviewed_by = user
    petition.save()
    SignatureCounter.objects.bulk_create(
        [SignatureCounter(petition=petition, shard=shard) for shard in range(COUNTER_SHARDS)],
        ignore_conflicts=True,
    )
    _log(petition, user, "petition.publish", before=before, after=snapshot(petition))
    notify_later(
        kind="petition_reviewed",
        params={"target": petition.title, "decision": str(pgettext_lazy("petition was", "published"))},
        url=petition.get_absolute_url(),
        user_ids=[petition.author_id],
    )
    return petition


@transaction.atomic
def do_decline(*, petition: Petition, user, reason: str) -> Petition:
    if not reason.strip():
        raise PetitionError(_("Say why the petition is declined: the reason is public."))
    petition = _locked_for_review(petition)
    before = snapshot(petition)
    petition.status, petition.declined_reason, petition.reviewed_by = Status.DECLINED, reason, user
    petition.save()
    _log(petition, user, "petition.decline", before=before, after=snapshot(petition))
    notify_later(
        kind="petition_reviewed",
        params={"target": petition.title, "decision": str(pgettext_lazy("petition was", "declined"))},
        url=petition.get_absolute_url(),
        user_ids=[petition.author_id],
    )
    return petition


@transaction.atomic
def do_answer(*, petition: Petition, user, answer: str) -> Petition:
    if not answer.strip():
        raise PetitionError(_("Write the official answer."))
    petition = Petition.objects.select_for_update().select_related("component__space").get(pk=petition.pk)
    if petition.status != Status.PUBLISHED:
        raise PetitionError(_("Only a published petition can be answered."))
    before = snapshot(petition)
    petition.answer, petition.answered_at = answer, petition.answered_at or timezone.now()
    petition.save()
    _log(petition, user, "petition.answer", before=before, after=snapshot(petition))
    promoters = list(petition.promoters.filter(accepted_at__isnull=False).values_list("user_id", flat=True))
    notify_later(
        kind="petition_answered",
        params={"target": petition.title},
        url=petition.get_absolute_url(),
        user_ids=[petition.author_id, *promoters],
    )
    return petition


# --- Signing ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerStatus:
    identity_ok: bool
    signed: bool
    # Signed, but not online with this account's identity, so not withdrawable from here:
    # a paper signature counted for this person, or one made online from another account.
    on_paper: bool = False
    from_another_account: bool = False


def check_can_sign(petition: Petition, user, day: datetime.date | None = None) -> str | None:
    day = day or today()
    if petition.status == Status.DECLINED:
        return _("This petition was declined: it cannot be signed.")
    if petition.status != Status.PUBLISHED:
        return _("This petition is not published: it cannot be signed.")
    if petition.deadline is None or day > petition.deadline:
        return _("Signing closed on %(day)s.") % {"day": _format_day(petition.deadline)}
    if not user.is_authenticated:
        return _("Log in to sign.")
    if not user.has_perm("petitions.sign", petition.component):
        return _("Signing is not open in this space at the moment.")
    return None


def _format_day(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y") if day else "—"


def signer_pseudonym_of(petition: Petition, user):
    """The pseudonym this account's verified person signs with, or None without identity."""
    identity = verified_identity(user, petition.identity_handler)
    if identity is None or not identity.subject:
        return None, None
    return signer_pseudonym(_key(), str(petition.ref), identity.subject), identity


def signer_status(petition: Petition, user) -> SignerStatus:
    pseudonym, identity = signer_pseudonym_of(petition, user) if user.is_authenticated else (None, None)
    if pseudonym is None:
        return SignerStatus(identity_ok=False, signed=False)
    if Signature.objects.filter(petition=petition, pseudonym=pseudonym).exists():
        return SignerStatus(identity_ok=True, signed=True)
    person = person_pseudonym(_key(), str(petition.ref), identity.person)
    # Signed on paper (counted before they came online), or online from another account.
    channel = (
        Signature.objects.filter(petition=petition, person=person).values_list("channel", flat=True).first()
        if person is not None
        else None
    )
    return SignerStatus(
        identity_ok=True,
        signed=channel is not None,
        on_paper=channel == Signature.Channel.PAPER,
        from_another_account=channel == Signature.Channel.ONLINE,
    )


def _bump(petition_id: int, channel: str, delta: int) -> None:
    shard = random.randrange(COUNTER_SHARDS)  # noqa: S311  (spreads row locks; no secret)
    SignatureCounter.objects.filter(petition_id=petition_id, shard=shard).update(
        **{channel: F(channel) + delta}
    )


def _has_aggregates(identity) -> bool:
    return identity.birth_year is not None or bool(departement_of(identity.birth_place))


def _aggregate_of(identity) -> tuple[int, str]:
    return identity.birth_year or 0, departement_of(identity.birth_place)


def bump_aggregate(petition_id: int, birth_year: int, departement: str, delta: int) -> None:
    """Count one signer more (on a random shard) or less (on a shard that has one) born in
    that year and département."""
    bucket = SignatureAggregate.objects.filter(
        petition_id=petition_id, birth_year=birth_year, departement=departement
    )
    if delta < 0:
        shard = bucket.filter(signatures__gte=-delta).values_list("shard", flat=True).first()
        if shard is not None:
            bucket.filter(shard=shard).update(signatures=F("signatures") + delta)
        return
    shard = random.randrange(COUNTER_SHARDS)  # noqa: S311  (spreads row locks; no secret)
    if bucket.filter(shard=shard).update(signatures=F("signatures") + delta):
        return
    try:
        with transaction.atomic():
            SignatureAggregate.objects.create(
                petition_id=petition_id,
                birth_year=birth_year,
                departement=departement,
                shard=shard,
                signatures=delta,
            )
    except IntegrityError:  # created by a signer at the same moment
        bucket.filter(shard=shard).update(signatures=F("signatures") + delta)


def do_sign(*, petition: Petition, user, share_aggregates: bool = False) -> str:
    """Sign once per person; returns the receipt code (shown once, only its hash is kept)."""
    return sign_and_count(petition=petition, user=user, share_aggregates=share_aggregates)[0]


def sign_and_count(*, petition: Petition, user, share_aggregates: bool = True) -> tuple[str, dict[str, int]]:
    """``do_sign`` that also returns the count with this signature, read while storing it
    (the receipt page shows it, the milestones need it: one read serves both)."""
    reason = check_can_sign(petition, user)
    if reason:
        raise PetitionError(reason)
    pseudonym, identity = signer_pseudonym_of(petition, user)
    if pseudonym is None:
        raise PetitionError(
            _("Signing needs a verified identity (%(handler)s): verify it first.")
            % {"handler": identity_label(petition.identity_handler)}
        )
    code = new_receipt_code()
    signature = Signature(
        petition=petition,
        pseudonym=pseudonym,
        person=person_pseudonym(_key(), str(petition.ref), identity.person),
        day=today(),
        receipt_hash=receipt_hash(code),
        shares_aggregates=share_aggregates and _has_aggregates(identity),
    )
    try:
        counts = _store_online_signature(
            signature, _aggregate_of(identity) if signature.shares_aggregates else None
        )
    except IntegrityError:
        raise AlreadySigned(_("You have already signed this petition: a person signs once.")) from None
    reach_milestones(petition, total=counts["total"])
    return code, counts


def _store_online_signature(signature: Signature, aggregate: tuple[int, str] | None) -> dict[str, int]:
    """Insert the signature and bump one counter shard (and one shard of the signer's
    aggregate when they agreed), all or nothing; return the counts."""
    if connection.vendor != "postgresql":
        with transaction.atomic():
            signature.save(force_insert=True)
            _bump(signature.petition_id, "online", 1)
            if aggregate is not None:
                bump_aggregate(signature.petition_id, *aggregate, 1)
        return signature.petition.counts()
    if connection.in_atomic_block:
        # A savepoint: a duplicate must not spoil the caller's transaction.
        with transaction.atomic():
            return _insert_bump_and_count(signature, aggregate)
    # Outside a transaction the single statement is one by itself: no BEGIN, no COMMIT
    # round trips, which cost a signing request more than the statement does.
    return _insert_bump_and_count(signature, aggregate)


SIGNATURE_COLUMNS = (
    "petition_id",
    "pseudonym",
    "person",
    "day",
    "channel",
    "receipt_hash",
    "shares_aggregates",
)
# Table and column names from the models, so that renaming one cannot leave this behind.
# A data-modifying WITH clause runs whether or not the final SELECT reads it; the counter
# and the aggregate only move when the insert returned a row.
_SIGN_BUMP_AND_COUNT = """
WITH signed AS (
    INSERT INTO {signatures} ({columns})
    VALUES ({placeholders})
    RETURNING petition_id
), bumped AS (
    UPDATE {counters} SET online = online + 1
    WHERE petition_id = (SELECT petition_id FROM signed) AND shard = %s
    RETURNING 1
){aggregate}
SELECT COALESCE(SUM(online), 0) + (SELECT COUNT(*) FROM bumped), COALESCE(SUM(paper), 0)
FROM {counters} WHERE petition_id = %s
"""
_AND_AGGREGATE = """, counted AS (
    INSERT INTO {aggregates} (petition_id, birth_year, departement, shard, signatures)
    SELECT petition_id, %s, %s, %s, 1 FROM signed
    ON CONFLICT (petition_id, birth_year, departement, shard)
    DO UPDATE SET signatures = {aggregates}.signatures + 1
    RETURNING 1
)"""


def _statement(*, with_aggregate: bool) -> str:
    tables = {
        "signatures": Signature._meta.db_table,
        "counters": SignatureCounter._meta.db_table,
        "aggregates": SignatureAggregate._meta.db_table,
    }
    return _SIGN_BUMP_AND_COUNT.format(  # noqa: S608 - names from the models; values are parameters
        **tables,
        columns=", ".join(Signature._meta.get_field(name).column for name in SIGNATURE_COLUMNS),
        placeholders=", ".join(["%s"] * len(SIGNATURE_COLUMNS)),
        aggregate=_AND_AGGREGATE.format(**tables) if with_aggregate else "",
    )


SIGN_BUMP_AND_COUNT = _statement(with_aggregate=False)
SIGN_BUMP_COUNT_AND_AGGREGATE = _statement(with_aggregate=True)


def _insert_bump_and_count(signature: Signature, aggregate: tuple[int, str] | None) -> dict[str, int]:
    """PostgreSQL: insert, bump (and count the signer's year and département) in one
    statement: signing is the hot path, one round trip instead of six or eight. A duplicate
    fails the insert, so nothing is bumped; the count reads the shards as they were when
    the statement began, plus this bump."""
    signature.channel = Signature.Channel.ONLINE
    shard = random.randrange(COUNTER_SHARDS)  # noqa: S311  (spreads row locks; no secret)
    values = [getattr(signature, field) for field in SIGNATURE_COLUMNS]
    if aggregate is None:
        statement, parameters = SIGN_BUMP_AND_COUNT, [*values, shard, signature.petition_id]
    else:
        aggregate_shard = random.randrange(COUNTER_SHARDS)  # noqa: S311
        statement = SIGN_BUMP_COUNT_AND_AGGREGATE
        parameters = [*values, shard, *aggregate, aggregate_shard, signature.petition_id]
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        online, paper = cursor.fetchone()
    return {"online": online, "paper": paper, "total": online + paper}


def do_withdraw(*, petition: Petition, user) -> None:
    if petition.status != Status.PUBLISHED or petition.deadline is None or today() > petition.deadline:
        raise PetitionError(_("Signing is closed: a signature can no longer be withdrawn."))
    pseudonym, identity = signer_pseudonym_of(petition, user)
    if pseudonym is None:
        raise PetitionError(_("Your verified identity is needed to find your signature."))
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .filter(petition=petition, pseudonym=pseudonym, channel=Signature.Channel.ONLINE)
            .first()
        )
        if signature is None:
            raise PetitionError(_("You have not signed this petition."))
        signature.delete()
        _bump(petition.pk, "online", -1)
        if signature.shares_aggregates:
            bump_aggregate(petition.pk, *_aggregate_of(identity), -1)


def verify_receipt(petition: Petition, code: str) -> bool | None:
    """Whether a receipt code's signature is counted now; None when it is not a code."""
    try:
        normalize_receipt_code(code)
    except ValueError:
        return None
    return Signature.objects.filter(petition=petition, receipt_hash=receipt_hash(code)).exists()


def identity_label(handler: str) -> str:
    """The name people know the identity by, e.g. "FranceConnect" (the handler's label otherwise)."""
    from civitas.authorizations.handlers import HANDLERS

    labels = {"franceconnect": "FranceConnect", "proconnect": "ProConnect"}
    return labels.get(handler) or str(HANDLERS.get(handler, handler))


MILESTONE_LABELS = {
    Milestone.Kind.ANSWER: gettext_lazy("the institution must answer"),
    Milestone.Kind.DEBATE: gettext_lazy("a public debate is due"),
}


def reach_milestones(petition: Petition, total: int | None = None) -> list[Milestone]:
    """Record the thresholds the count (``total``, read when not given) has just passed,
    and tell the reviewers once."""
    goals = [
        (kind, threshold)
        for kind, threshold in (
            (Milestone.Kind.ANSWER, petition.answer_threshold),
            (Milestone.Kind.DEBATE, petition.debate_threshold),
        )
        if threshold
    ]
    if not goals:
        return []
    if total is None:
        total = petition.counts()["total"]
    reached = []
    for kind, threshold in goals:
        if total < threshold or Milestone.objects.filter(petition=petition, kind=kind).exists():
            continue
        # The counters said so; the signatures themselves must say so too before the
        # institution is told (a counter changed in the database would otherwise do it).
        if Signature.objects.filter(petition=petition).count() < threshold:
            continue
        with transaction.atomic():
            milestone, created = Milestone.objects.get_or_create(
                petition=petition, kind=kind, defaults={"threshold": threshold, "reached_on": today()}
            )
            if not created:
                continue
            if kind == Milestone.Kind.ANSWER:
                Petition.objects.filter(pk=petition.pk, threshold_reached_on__isnull=True).update(
                    threshold_reached_on=today()
                )
            notify_later(
                kind="petition_milestone",
                params={
                    "target": petition.title,
                    "threshold": threshold,
                    "milestone": str(MILESTONE_LABELS[kind]),
                },
                url=petition.get_absolute_url(),
                user_ids=reviewers_of(petition),
            )
            reached.append(milestone)
    return reached


def stored_counts(petition: Petition) -> dict[str, int]:
    """Online and paper signatures as the rows say (what the sealed list counts)."""
    stored = dict(
        Signature.objects.filter(petition=petition)
        .order_by()
        .values_list("channel")
        .annotate(number=Count("pk"))
        .values_list("channel", "number")
    )
    return {"online": stored.get("online", 0), "paper": stored.get("paper", 0)}


def reconcile_counters(petition: Petition) -> dict | None:
    """Make the live count (16 counter rows) equal to the signatures stored, and say so.

    The counters exist for speed; the signatures are the truth, and the sealed list counts
    them. Run with every sealing: a counter changed by hand in the database would otherwise
    show a number (and cross milestones) that no list supports. Returns the correction
    made, or None when the counters were right.
    """
    with transaction.atomic():
        # Locking the counters first: a signer bumps one inside their transaction, so the
        # signatures counted below are exactly those the counters should hold.
        shards = list(
            SignatureCounter.objects.select_for_update().filter(petition=petition).order_by("shard")
        )
        counted = stored_counts(petition)
        shown = {channel: sum(getattr(shard, channel) for shard in shards) for channel in counted}
        if shown == counted:
            return None
        for shard in shards:
            shard.online = counted["online"] if shard.shard == 0 else 0
            shard.paper = counted["paper"] if shard.shard == 0 else 0
        SignatureCounter.objects.bulk_update(shards, ["online", "paper"])
        space = petition.component.space
        log_action(
            organization=space.organization,
            user=None,
            action="petition.counters_corrected",
            target=petition,
            space=space,
            before=shown,
            after=counted,
        )
    return {"before": shown, "after": counted}
