from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _project_document(project):
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = project.budget.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=project.title,
        text=" ".join((plain_text(project.description), project.address, project.budget.title)),
        url=project.get_absolute_url(),
        hidden=not component.is_published,
        date=project.created_at,
    )


def _budget_document(budget):
    """Found by its component's name ("Budget participatif 2027") as well as its own title."""
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = budget.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=f"{component.name} — {budget.title}",
        text=" ".join((plain_text(budget.description), budget.district)),
        url=budget.get_absolute_url(),
        hidden=not component.is_published,
        date=budget.created_at,
    )


class BudgetsConfig(AppConfig):
    name = "civitas.components.budgets"
    label = "budgets"
    verbose_name = _("Participatory budgets")

    def ready(self):
        from civitas.ballotbox.services import discard_before_delete
        from civitas.comments.registry import register_commentable
        from civitas.components.budgets.manifest import manifest
        from civitas.components.budgets.models import Budget, BudgetParticipation, Project
        from civitas.components.manifest import registry
        from civitas.core.media import register_media
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        from civitas.components.budgets.home import register_home_markers_source

        register_home_markers_source()
        discard_before_delete(Budget)
        from civitas.ballotbox.opendata import register_sealed_files
        from civitas.components.budgets.results import results_visible

        register_sealed_files(
            Budget,
            visible=results_visible,
            file_url=lambda budget: f"{budget.get_absolute_url()}sealed.jsonl",
        )

        from civitas.ballotbox.closers import register_closer
        from civitas.components.budgets import services

        def close(target, user, keys):
            # Budgets of a component close together: the command gives this budget's
            # trustees' keys; budgets held by other trustees are closed from the back office.
            keys_of = {target.pk: keys}
            return services.do_close_vote(component=target.component, user=user, trustee_keys=keys_of)

        register_closer(Budget, close)
        register_searchable(
            "budget",
            _("Participatory budgets"),
            Budget,
            document=_budget_document,
            queryset=lambda: Budget.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            # A project's text holds its budget's title: renaming the budget re-indexes them.
            dependents=lambda budget: budget.projects.select_related("budget__component__space"),
            position=49,
            date_field="created_at",
        )
        register_searchable(
            "budget_project",
            _("Budget projects"),
            Project,
            document=_project_document,
            queryset=lambda: Project.objects.select_related("budget__component__space"),
            organization_field="budget__component__space__organization",
            component_field="budget__component",
            dependents=comments_of,
            position=50,
            date_field="created_at",
        )
        # A vote makes a participant. Nothing records when someone voted (a day would pair
        # them with their ballot's day on a day with a single voter): monthly statistics
        # count the votes of a budget in the month it closed, and not before.
        register_participation(
            "budget_vote",
            _("Budget votes"),
            lambda: BudgetParticipation.objects.all(),
            user_field="user",
            space_field="budget__component__space",
            date_field="budget__frozen_at",
            position=50,
            kind="vote",
            counted=ngettext_lazy("%(count)s budget vote", "%(count)s budget votes", "count"),
        )
        register_commentable(
            Project,
            component_of=lambda project: project.budget.component,
            url_of=lambda project: project.get_absolute_url(),
            title_of=lambda project: project.title,
            count_field="comment_count",
        )
        # A project imported from a proposal shares the proposal's image file: each
        # row grants access to it on its own terms.
        register_media(
            Project,
            "image",
            organization_field="budget__component__space__organization",
            may_see=lambda request, project: request.user.has_perm(
                "components.view_component", project.budget.component
            ),
            download_name=lambda project: f"budget-project-{project.pk}",
            select_related=("budget__component__space",),
            thumbnails=("card",),
        )
        from civitas.components.budgets import exports, opendata  # noqa: F401  (register themselves)
