"""The sortition component: a citizen panel drawn by lot, with quotas and a verifiable draw."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _create_panel(component) -> None:
    from civitas.components.sortition.models import Panel

    Panel.objects.get_or_create(component=component)


def _statistics(component) -> dict[str, int]:
    from civitas.components.sortition.models import Volunteer

    return {
        "volunteers": Volunteer.objects.filter(panel__component=component, withdrawn_at__isnull=True).count()
    }


def _demo(site) -> None:
    from civitas.components.sortition.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="sortition",
    verbose_name=_("Citizen panel drawn by lot"),
    description=_(
        "A mini-public drawn by lot among volunteers, meeting quotas, with the fairest lottery "
        "and a draw anyone can check."
    ),
    icon="sortition",
    phase_settings=SettingsSchema(
        (Setting("registration_enabled", "boolean", label=_("Volunteers can register"), default=False),)
    ),
    actions=(Action("register", _("Volunteer for the panel"), phase_setting="registration_enabled"),),
    resources=("sortition.Panel", "sortition.Volunteer"),
    public_urls="civitas.components.sortition.urls",
    admin_urls="civitas.components.sortition.admin_urls",
    admin_url_name="sortition_admin:index",
    on_create=_create_panel,
    statistics=_statistics,
    demo=_demo,
)
