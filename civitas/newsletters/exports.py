"""The newsletters' share of a person's GDPR export: consent, what was sent to them, what they wrote."""

from civitas.core.gdpr import iso, register_export
from civitas.newsletters.models import Delivery, Newsletter, NewsletterConsent


@register_export(
    "newsletters",
    covers=[(NewsletterConsent, "user"), (Delivery, "user"), (Newsletter, "author"), (Newsletter, "sent_by")],
)
def export_newsletters(user) -> list[dict]:
    rows = []
    consent = NewsletterConsent.objects.filter(user=user).first()
    if consent is not None:
        rows.append(
            {
                "kind": "consent",
                "newsletter": "",
                "consents": consent.consented_at is not None,
                "at": iso(consent.consented_at),
                "withdrawn_at": iso(consent.withdrawn_at),
                "address": consent.suppressed_email,
                "status": f"hard bounces: {consent.hard_bounces}",
            }
        )
    for delivery in Delivery.objects.filter(user=user).select_related("newsletter").order_by("pk"):
        rows.append(
            {
                "kind": "received",
                "newsletter": delivery.newsletter.subject,
                "consents": "",
                "at": iso(delivery.sent_at),
                "withdrawn_at": "",
                "address": delivery.email,
                "status": delivery.status,
            }
        )
    written = Newsletter.objects.filter(author=user) | Newsletter.objects.filter(sent_by=user)
    for newsletter in written.distinct().order_by("created_at"):
        rows.append(
            {
                "kind": "written" if newsletter.author_id == user.pk else "sent",
                "newsletter": newsletter.subject,
                "consents": "",
                "at": iso(newsletter.send_requested_at or newsletter.created_at),
                "withdrawn_at": "",
                "address": "",
                "status": newsletter.status,
            }
        )
    return rows
