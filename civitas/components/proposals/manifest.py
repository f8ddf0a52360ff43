"""The proposals component: citizens propose, discuss and support ideas."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.amendments import settings_schema as amendment_settings
from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema
from civitas.core.richtext import plain_text

SUPPORT_MODES = (
    ("disabled", pgettext_lazy("supports are", "Off")),
    ("enabled", pgettext_lazy("supports are", "On")),
    ("blocked", _("Shown but closed")),
    ("hidden", _("On, counts hidden")),
)


def _statistics(component) -> dict[str, int]:
    from civitas.components.proposals.models import Proposal, Support

    proposals = Proposal.objects.visible().filter(component=component)
    return {
        "proposals": proposals.count(),
        "supports": Support.objects.filter(component=component, counted=True).count(),
    }


def _open_data(component):
    from civitas.components.proposals.models import Proposal

    rows = [
        {
            "id": proposal.pk,
            "space": component.space.slug,
            "component_id": component.pk,
            "title": proposal.title,
            "body": plain_text(proposal.body),
            "state": proposal.state,
            "supports": proposal.support_count,
            "comments": proposal.comment_count,
            "published_at": proposal.published_at.isoformat(),
            "address": proposal.address,
        }
        for proposal in Proposal.objects.visible().filter(component=component).iterator()
    ]
    yield "proposals", rows


def _demo(site) -> None:
    from civitas.components.proposals.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="proposals",
    verbose_name=_("Proposals"),
    description=_("Participants submit proposals, support and discuss them; the institution answers."),
    icon="proposals",
    settings=SettingsSchema(
        (
            Setting(
                "proposal_limit",
                "integer",
                label=_("Proposals per participant (0 = no limit)"),
                default=0,
                minimum=0,
                maximum=1000,
            ),
            Setting(
                "body_max_length",
                "integer",
                label=_("Maximum length of a proposal, in characters"),
                default=3000,
                minimum=200,
                maximum=20000,
            ),
            Setting(
                "edit_window_minutes",
                "integer",
                label=_("Minutes during which authors may edit (0 = never)"),
                default=60,
                minimum=0,
                maximum=100000,
            ),
            Setting(
                "support_limit",
                "integer",
                label=_("Supports per participant (0 = no limit)"),
                default=0,
                minimum=0,
                maximum=10000,
            ),
            Setting(
                "minimum_supports",
                "integer",
                label=_("Supports a participant must give before theirs count (0 = none)"),
                default=0,
                minimum=0,
                maximum=10000,
            ),
            Setting(
                "support_threshold",
                "integer",
                label=_("Supports a proposal needs to go further (0 = no threshold)"),
                default=0,
                minimum=0,
                maximum=1000000,
            ),
            amendment_settings.visibility_setting(),
        )
    ),
    phase_settings=SettingsSchema(
        (
            Setting(
                "creation_enabled", "boolean", label=_("Participants can submit proposals"), default=False
            ),
            Setting("supports", "choice", label=_("Supports"), choices=SUPPORT_MODES, default="disabled"),
            Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),
            Setting(
                "collaborative_drafts_enabled",
                "boolean",
                label=_("Participants can write collaborative drafts"),
                default=False,
            ),
            Setting(
                "amendments_enabled", "boolean", label=_("Participants can amend proposals"), default=False
            ),
            amendment_settings.reactions_phase_setting(),
            Setting(
                "amendment_promotion_enabled",
                "boolean",
                label=_("A rejected amendment can become its author's own proposal"),
                default=False,
            ),
        )
    ),
    actions=(
        Action("create", _("Submit a proposal"), phase_setting="creation_enabled"),
        Action(
            "support",
            _("Support a proposal"),
            phase_setting="supports",
            phase_setting_value=("enabled", "hidden"),
        ),
        Action("open_draft", _("Open a collaborative draft"), phase_setting="collaborative_drafts_enabled"),
        Action(
            "join_draft", _("Ask to join a collaborative draft"), phase_setting="collaborative_drafts_enabled"
        ),
        Action("amend", _("Amend a proposal"), phase_setting="amendments_enabled"),
        amendment_settings.react_action(),
        Action(
            "promote_amendment",
            _("Turn a rejected amendment into a proposal"),
            phase_setting="amendment_promotion_enabled",
        ),
    ),
    resources=("proposals.Proposal", "proposals.Support", "proposals.CollaborativeDraft"),
    public_urls="civitas.components.proposals.urls",
    admin_urls="civitas.components.proposals.admin_urls",
    admin_url_name="proposals_admin:index",
    statistics=_statistics,
    open_data=_open_data,
    demo=_demo,
)
