from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "civitas.components.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.accountability.manifest import manifest
        from civitas.components.accountability.models import Result
        from civitas.components.manifest import registry

        registry.register(manifest)
        register_commentable(
            Result,
            component_of=lambda result: result.component,
            url_of=lambda result: result.get_absolute_url(),
            title_of=lambda result: result.title,
            count_field="comment_count",
        )
