"""The settings a component that takes amendments declares in its manifest, written once.

The visibility is a component setting (the two options Decidim offers); reacting to an
amendment (support, comment) is a per-phase switch with its manifest action. Each
component keeps its own "amend" switch and action, whose wording names what is amended.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.components.manifest import Action
from civitas.components.schema import Setting

VISIBILITY_CHOICES = (
    ("all", pgettext_lazy("amendments visible to", "Everyone")),
    ("participants", _("Only their authors and the proposal's authors (and moderators)")),
)


def visibility_setting() -> Setting:
    return Setting(
        "amendments_visibility",
        "choice",
        label=_("Who sees the amendments"),
        choices=VISIBILITY_CHOICES,
        default="all",
    )


def reactions_phase_setting() -> Setting:
    return Setting(
        "amendment_reactions_enabled",
        "boolean",
        label=_("Amendments can be supported and commented on"),
        default=False,
    )


def react_action() -> Action:
    return Action(
        "react_to_amendment",
        _("Support or comment on an amendment"),
        phase_setting="amendment_reactions_enabled",
    )
