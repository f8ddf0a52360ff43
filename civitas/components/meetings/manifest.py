"""The meetings component: in-person, online or hybrid meetings with registration and reports."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _statistics(component) -> dict[str, int]:
    from civitas.components.meetings.models import Meeting, Registration

    meetings = Meeting.objects.visible().filter(component=component)
    return {
        "meetings": meetings.count(),
        "registrations": Registration.objects.filter(meeting__in=meetings)
        .exclude(status=Registration.Status.CANCELLED)
        .count(),
    }


def _demo(site) -> None:
    from civitas.components.meetings.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="meetings",
    verbose_name=_("Meetings"),
    description=_("In-person, online or hybrid meetings: agenda, registration, minutes."),
    icon="meetings",
    settings=SettingsSchema(
        (
            Setting(
                "show_attendance",
                "boolean",
                label=_("Show the number of registered people"),
                default=True,
            ),
        )
    ),
    phase_settings=SettingsSchema(
        (Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),)
    ),
    actions=(Action("register", _("Register for a meeting")),),
    resources=("meetings.Meeting", "meetings.Registration"),
    public_urls="civitas.components.meetings.urls",
    admin_urls="civitas.components.meetings.admin_urls",
    admin_url_name="meetings_admin:index",
    statistics=_statistics,
    demo=_demo,
)
