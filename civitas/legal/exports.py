"""The terms and help pages' share of a person's GDPR export."""

from civitas.core.gdpr import iso, register_export
from civitas.legal.models import HelpPageRevision, TermsAcceptance, TermsVersion


@register_export("terms_acceptances", covers=[(TermsAcceptance, "user")])
def export_acceptances(user) -> list[dict]:
    acceptances = TermsAcceptance.objects.filter(user=user).select_related("version").order_by("accepted_at")
    return [
        {
            "terms_version": acceptance.version.number,
            "terms_published_at": iso(acceptance.version.published_at),
            "accepted_at": iso(acceptance.accepted_at),
        }
        for acceptance in acceptances
    ]


@register_export(
    "terms_and_help_written",
    covers=[(TermsVersion, "author"), (HelpPageRevision, "author")],
)
def export_writings(user) -> list[dict]:
    """What an admin published in the organization's name: versions of the terms, help page saves."""
    rows = [
        {
            "kind": "terms_version",
            "number": version.number,
            "title": version.title,
            "at": iso(version.published_at),
        }
        for version in TermsVersion.objects.filter(author=user).order_by("published_at")
    ]
    rows += [
        {"kind": "help_page_revision", "number": "", "title": revision.title, "at": iso(revision.saved_at)}
        for revision in HelpPageRevision.objects.filter(author=user).order_by("saved_at")
    ]
    return rows
