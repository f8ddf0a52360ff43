"""The debates component: questions put to discussion, for and against, closed with a conclusion."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _statistics(component) -> dict[str, int]:
    from civitas.components.debates.models import Debate

    return {"debates": Debate.objects.visible().filter(component=component).count()}


def _demo(site) -> None:
    from civitas.components.debates.demo import seed

    seed(site)


manifest = ComponentManifest(
    name="debates",
    verbose_name=_("Debates"),
    description=_("Questions put to public discussion; each comment takes a side."),
    icon="debates",
    phase_settings=SettingsSchema(
        (
            Setting("creation_enabled", "boolean", label=_("Participants can open debates"), default=False),
            Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),
        )
    ),
    actions=(Action("create", _("Open a debate"), phase_setting="creation_enabled"),),
    resources=("debates.Debate",),
    public_urls="civitas.components.debates.urls",
    admin_urls="civitas.components.debates.admin_urls",
    admin_url_name="debates_admin:index",
    statistics=_statistics,
    demo=_demo,
)
