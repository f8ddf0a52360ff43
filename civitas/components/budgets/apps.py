from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "civitas.components.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")

    def ready(self):
        from civitas.ballotbox.services import discard_before_delete
        from civitas.comments.registry import register_commentable
        from civitas.components.budgets.manifest import manifest
        from civitas.components.budgets.models import Budget, Project
        from civitas.components.manifest import registry

        registry.register(manifest)
        discard_before_delete(Budget)
        register_commentable(
            Project,
            component_of=lambda project: project.budget.component,
            url_of=lambda project: project.get_absolute_url(),
            title_of=lambda project: project.title,
            count_field="comment_count",
        )
