"""The bridge between the database and the framework-free scorer: which model file an
organization uses, and the samples built from its accounts and contributions, a batch at a time."""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from civitas.core.richtext import plain_text
from civitas.moderation.models import Report
from civitas.moderation.registry import all_moderatables, moderatable_for
from civitas.spam import model as spam_model
from civitas.spam.features import AccountInfo, Sample, link_count

logger = logging.getLogger(__name__)

_cache: dict[Path, tuple[tuple, object]] = {}
_lock = threading.Lock()


def starter_model_path() -> Path:
    return Path(getattr(settings, "CIVITAS_SPAM_STARTER_MODEL", spam_model.DEFAULT_PATH))


def organization_model_path(organization) -> Path:
    directory = Path(getattr(settings, "CIVITAS_SPAM_MODEL_DIR", settings.VAR_DIR / "spam"))
    return directory / f"organization-{organization.pk}.joblib"


def model_path_for(organization) -> Path:
    """The organization's own retrained model once there is one, the starter model before."""
    own = organization_model_path(organization)
    return own if own.exists() else starter_model_path()


def load_model(path: Path) -> spam_model.SpamModel:
    """Load once per process and file version; a missing or corrupt file raises ModelUnavailable."""
    try:
        stat = path.stat()
        signature: tuple = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        signature = ("missing",)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == signature:
            found = cached[1]
        else:
            try:
                found = spam_model.load(path)
            except spam_model.ModelUnavailable as error:
                found = error
                logger.warning("spam model unavailable: %s", error)
            _cache[path] = (signature, found)
    if isinstance(found, spam_model.ModelUnavailable):
        raise found
    return found


def model_for(organization) -> spam_model.SpamModel:
    return load_model(model_path_for(organization))


def model_status(organization) -> dict:
    """What admins are shown: the model in use, or why there is none."""
    path = model_path_for(organization)
    try:
        model = load_model(path)
    except spam_model.ModelUnavailable as error:
        return {"ok": False, "error": str(error), "path": str(path), "own": path != starter_model_path()}
    return {"ok": True, "model": model, "path": str(path), "own": path != starter_model_path()}


# --- samples ----------------------------------------------------------------------------------


def _bodies_model(described) -> bool:
    fields = {field.name for field in described.model._meta.get_fields()}
    return {"author", described.text_field, "created_at"} <= fields


def contribution_text(obj) -> str:
    """Its title and what its author wrote, in the field the moderation registry names (a
    debate's is ``description``: reading ``body`` alone scored a debate's title only)."""
    described = moderatable_for(obj)
    title = getattr(obj, "title", "") or ""
    body = plain_text(getattr(obj, described.text_field if described else "body", "") or "")
    return f"{title}\n{body}".strip()


USER_FIELDS = (
    "pk",
    "nickname",
    "name",
    "email",
    "about",
    "personal_url",
    "avatar",
    "locale",
    "last_login",
    "date_joined",
)


def account_samples(rows: list[dict], now=None, wanted=None) -> tuple[list, list[str]]:
    """Samples and input fingerprints for account rows (``USER_FIELDS``), with a handful of queries
    whatever the batch size: contributions, then reports received.

    ``wanted(index, fingerprint)`` may say which rows need a sample (the others get None): an
    unchanged account needs only its fingerprint."""
    now = now or timezone.now()
    ids = [row["pk"] for row in rows]
    texts: dict[int, list[str]] = {pk: [] for pk in ids}
    first: dict[int, object] = {}
    contribution_keys: list[Q] = []
    owner_of: dict[tuple[int, int], int] = {}
    for described in all_moderatables():
        if not _bodies_model(described):
            continue
        model = described.model
        has_title = any(field.name == "title" for field in model._meta.get_fields())
        columns = ["pk", "author_id", described.text_field, "created_at"] + (["title"] if has_title else [])
        found = list(model.objects.filter(author_id__in=ids).values_list(*columns))
        content_type = ContentType.objects.get_for_model(model)
        for values in found:
            pk, author_id, body, created_at = values[:4]
            title = values[4] if has_title else ""
            # Raw bodies: links are found in text and in <a href>, without the cost of sanitizing.
            texts[author_id].append(f"{title} {body}")
            if author_id not in first or created_at < first[author_id]:
                first[author_id] = created_at
            owner_of[(content_type.pk, pk)] = author_id
        if found:
            contribution_keys.append(
                Q(moderation__content_type=content_type, moderation__object_id__in=[v[0] for v in found])
            )
    user_type = ContentType.objects.get_for_model(get_user_model())
    reports: dict[int, int] = dict.fromkeys(ids, 0)
    # Reports by people only: the platform's own spam reports must not feed the next score.
    where = Q(moderation__content_type=user_type, moderation__object_id__in=ids)
    for key in contribution_keys:
        where |= key
    counted = (
        Report.objects.filter(where, user__isnull=False)
        .values_list("moderation__content_type_id", "moderation__object_id")
        .annotate(n=Count("pk"))
    )
    for content_type_id, object_id, n in counted:
        owner = object_id if content_type_id == user_type.pk else owner_of.get((content_type_id, object_id))
        if owner in reports:
            reports[owner] += n
    samples: list[Sample | None] = []
    fingerprints: list[str] = []
    for index, row in enumerate(rows):
        pk = row["pk"]
        with_links, domains = link_count(texts[pk]) if texts[pk] else (0, [])
        joined = row["date_joined"]
        minutes = (first[pk] - joined).total_seconds() / 60 if pk in first else None
        linked = tuple(sorted(set(domains)))
        # Everything the score depends on but the account's age, which grows every day.
        fingerprint = hashlib.blake2b(
            "\x1f".join(
                (
                    row["about"],
                    row["personal_url"],
                    row["nickname"],
                    row["name"],
                    row["email"],
                    str(row["avatar"] or ""),
                    row["locale"],
                    "1" if row["last_login"] is not None else "0",
                    f"{len(texts[pk])}:{with_links}:{reports[pk]}",
                    "" if minutes is None else str(round(minutes)),
                    ",".join(linked),
                )
            ).encode(),
            digest_size=16,
        ).hexdigest()
        fingerprints.append(fingerprint)
        if wanted is not None and not wanted(index, fingerprint):
            samples.append(None)
            continue
        account = AccountInfo(
            nickname=row["nickname"],
            name=row["name"],
            email=row["email"],
            personal_url=row["personal_url"],
            has_avatar=bool(row["avatar"]),
            locale=row["locale"],
            has_signed_in=row["last_login"] is not None,
            account_age_days=max((now - joined).total_seconds() / 86400, 0.0),
            minutes_to_first_contribution=max(minutes, 0.0) if minutes is not None else None,
            contributions=len(texts[pk]),
            contributions_with_links=with_links,
            linked_domains=linked,
            reports_received=reports[pk],
        )
        samples.append(Sample("profile", row["about"], account))
    return samples, fingerprints


def contribution_sample(obj) -> Sample:
    author = obj.author
    rows = list(get_user_model().objects.filter(pk=author.pk).values(*USER_FIELDS))
    account = account_samples(rows)[0][0].account if rows else None
    return Sample("comment", contribution_text(obj), account)
