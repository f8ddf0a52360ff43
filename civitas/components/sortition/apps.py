from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class SortitionConfig(AppConfig):
    name = "civitas.components.sortition"
    label = "sortition"
    verbose_name = _("Citizen panels drawn by lot")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.sortition import (
            opendata,  # noqa: F401  (registers its data set)
            tasks,  # noqa: F401  (the lottery computation task)
        )
        from civitas.components.sortition.manifest import manifest
        from civitas.notifications.kinds import register_kind

        registry.register(manifest)
        from civitas.components.sortition import attention

        attention.register()
        from civitas.components.sortition import search

        search.register()
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from civitas.components.sortition import exports

        post_save.connect(
            exports.erase_deleted_account,
            sender=get_user_model(),
            weak=False,
            dispatch_uid="sortition-erase-deleted-account",
        )
        from civitas.components.sortition.models import Volunteer
        from civitas.stats.registry import register_participation

        register_participation(
            "sortition_volunteer",
            _("Volunteers for citizen panels"),
            lambda: Volunteer.objects.filter(withdrawn_at__isnull=True, user__isnull=False),
            user_field="user",
            space_field="panel__component__space",
            date_field="created_at",
            position=70,
            counted=ngettext_lazy(
                "%(count)s volunteer for a citizen panel", "%(count)s volunteers for citizen panels", "count"
            ),
        )
        register_kind(
            "sortition_selected",
            _("You have been drawn by lot for “%(target)s” (%(space)s): the organisers will contact you."),
        )
        register_kind(
            "sortition_alternate",
            _("You are alternate number %(rank)s for “%(target)s” (%(space)s)."),
        )
