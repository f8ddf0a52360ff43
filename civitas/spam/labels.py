"""What the spam page shows in words: the held-out samples' sources, and the model in use.

The model's figures group held-out samples by ``source:class`` codes (``sms:spam``);
admins read where the samples come from. ``test_spam_page`` fails on a group of the
shipped model that has no words here.
"""

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

SOURCES = {
    "all": _("All held-out samples"),
    "civic_comments": _("Civic comments written for Civitas"),
    "civic_profiles": _("Civic profiles written for Civitas"),
    "decidim_comments": _("Comments from Decidim platforms"),
    "decidim_profiles": _("Profiles from Decidim platforms"),
    "decidim_proposals": _("Proposals from Decidim platforms"),
    "sms": _("SMS Spam Collection"),
    "written_spam_comments": _("Spam comments written for Civitas"),
    "written_spam_profiles": _("Spam profiles written for Civitas"),
}
CLASSES = {"spam": _("spam"), "legitimate": _("legitimate")}


def group_label(code: str) -> str:
    """``civic_comments:legitimate`` -> "Civic comments written for Civitas — legitimate"."""
    source, _separator, kind = code.partition(":")
    words = SOURCES.get(source)
    if words is None:
        words = _("Other samples (%(source)s)") % {"source": source}
    return f"{words} — {CLASSES.get(kind, kind)}"


def trained_at(value):
    """The training time stored in the model file (ISO 8601), as a datetime to format."""
    try:
        return parse_datetime(value) if isinstance(value, str) else value
    except ValueError:
        return None
