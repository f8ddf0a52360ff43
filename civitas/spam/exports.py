"""The spam app's share of a user's GDPR export: the account's spam score and the digests received."""

from civitas.core.gdpr import iso, register_export
from civitas.spam.models import AccountScore, DigestSent


@register_export("spam_score", covers=[(AccountScore, "user")])
def export_spam_score(user) -> list[dict]:
    # An automated assessment of the person, so it is theirs to see (GDPR art. 15(1)(h));
    # the fingerprint of its input stays out, it is an internal cache key.
    return [
        {
            "spam_probability": round(score.probability, 3),
            "model_version": score.model_version,
            "scanned_at": iso(score.scanned_at),
            "reported_to_moderators_at": iso(score.reported_at),
            "blocked_automatically_at": iso(score.blocked_at),
        }
        for score in AccountScore.objects.filter(user=user)
    ]


@register_export("spam_digests_received", covers=[(DigestSent, "user")])
def export_spam_digests(user) -> list[dict]:
    return [
        {"day": digest.day.isoformat(), "sent_at": iso(digest.sent_at)}
        for digest in DigestSent.objects.filter(user=user).order_by("day")
    ]
