from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _amendment_document(amendment):
    from civitas.amendments.queries import entry_of, is_public, target_of
    from civitas.core.richtext import plain_text
    from civitas.search.builtin import author_is_visible
    from civitas.search.registry import Document

    entry = entry_of(amendment)
    target = target_of(amendment, entry) if entry else None
    if target is None:
        return None
    component = amendment.component
    from django.contrib.auth.models import AnonymousUser

    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=str(_("Amendment to “%(title)s”") % {"title": getattr(target, "title", str(target))}),
        text=f"{amendment.title} {plain_text(amendment.body)}",
        url=amendment.get_absolute_url(),
        # Only what an anonymous visitor of a public space could read; private spaces are
        # handled by the search from ``space``.
        hidden=not is_public(amendment)
        or not component.is_published
        or not entry.can_view(AnonymousUser(), target)
        or not author_is_visible(amendment.amender),
        author_id=amendment.amender_id,
        date=amendment.created_at,
    )


def _comments_visible(amendment) -> bool:
    """Comments follow the amendment: none where amendments are shown to their participants only."""
    from civitas.amendments.queries import entry_of, is_public, target_of
    from civitas.comments.registry import commentable_for

    if not is_public(amendment):
        return False
    target = target_of(amendment, entry_of(amendment))
    described = commentable_for(target) if target is not None else None
    return described is not None and described.is_visible(target)


def _comments_closed(amendment):
    from civitas.amendments.queries import entry_of, phase_allows

    if not phase_allows(amendment.component, entry_of(amendment).permissions.react):
        return _("Reactions to amendments are closed in this phase.")
    return None


class AmendmentsConfig(AppConfig):
    name = "civitas.amendments"
    label = "amendments"
    verbose_name = _("Amendments")

    def ready(self):
        from civitas.amendments import (
            exports,  # noqa: F401  (GDPR export)
            rules,  # noqa: F401  (permissions)
            services,  # noqa: F401  (notification kinds)
        )
        from civitas.amendments.models import Amendment, AmendmentSupport
        from civitas.amendments.queries import may_see_amendment
        from civitas.comments.registry import register_commentable
        from civitas.moderation.registry import register_moderatable
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation
        from civitas.versions.registry import register as keep_versions

        keep_versions(
            Amendment,
            fields=("title", "body"),
            rich_fields=("body",),
            organization_of=lambda amendment: amendment.component.space.organization,
            # Hidden by moderation or shown to its participants only: its history too.
            can_view=may_see_amendment,
        )
        register_moderatable(
            Amendment,
            space_of=lambda amendment: amendment.component.space,
            author_of=lambda amendment: amendment.amender,
            title_of=lambda amendment: str(amendment),
        )
        register_commentable(
            Amendment,
            component_of=lambda amendment: amendment.component,
            url_of=lambda amendment: amendment.get_absolute_url(),
            title_of=lambda amendment: str(amendment),
            is_visible=_comments_visible,
            count_field="comment_count",
            closed_reason=_comments_closed,
        )
        register_searchable(
            "amendment",
            _("Amendments"),
            Amendment,
            document=_amendment_document,
            queryset=lambda: Amendment.objects.select_related("component__space", "amender"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=25,
            date_field="created_at",
        )
        register_participation(
            "amendment",
            _("Amendments"),
            lambda: Amendment.objects.public(),
            user_field="amender",
            space_field="component__space",
            date_field="created_at",
            position=15,
            counted=ngettext_lazy("%(count)s amendment", "%(count)s amendments", "count"),
        )
        register_participation(
            "amendment_support",
            _("Supports of amendments"),
            lambda: AmendmentSupport.objects.all(),
            user_field="user",
            space_field="component__space",
            date_field="created_at",
            position=25,
            kind="vote",
            counted=ngettext_lazy(
                "%(count)s support of an amendment", "%(count)s supports of amendments", "count"
            ),
        )
