"""The news component: posts written by the space's admins, with an image, comments and endorsements."""

from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import Action, ComponentManifest
from civitas.components.schema import Setting, SettingsSchema


def _statistics(component) -> dict[str, int]:
    from civitas.components.blog.models import Endorsement, Post

    return {
        "posts": Post.objects.published().filter(component=component).count(),
        "endorsements": Endorsement.objects.filter(post__component=component).count(),
    }


def _demo(site) -> None:
    from civitas.components.blog.demo import seed

    seed(site)


def _space_section(request, component) -> str:
    from civitas.components.blog.home import space_section

    return space_section(request, component)


manifest = ComponentManifest(
    name="blog",
    verbose_name=_("News"),
    description=_("News posts of the space, with a picture; residents comment and endorse them."),
    icon="page",
    phase_settings=SettingsSchema(
        (
            Setting(
                "endorsements_enabled", "boolean", label=_("Participants can endorse posts"), default=True
            ),
            Setting("comments_enabled", "boolean", label=_("Comments are open"), default=True),
        )
    ),
    actions=(Action("endorse", _("Endorse a post"), phase_setting="endorsements_enabled"),),
    resources=("blog.Post",),
    public_urls="civitas.components.blog.urls",
    admin_urls="civitas.components.blog.admin_urls",
    admin_url_name="blog_admin:index",
    statistics=_statistics,
    demo=_demo,
    space_section=_space_section,
)
