from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def _meeting_document(meeting):
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = meeting.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=meeting.title,
        text=" ".join(
            (
                plain_text(meeting.description),
                meeting.address,
                plain_text(meeting.agenda),
                plain_text(meeting.minutes),
            )
        ),
        url=meeting.get_absolute_url(),
        hidden=meeting.published_at is None or meeting.hidden_at is not None or not component.is_published,
        date=meeting.start_time,
    )


class MeetingsConfig(AppConfig):
    name = "civitas.components.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.manifest import registry
        from civitas.components.meetings import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.components.meetings.manifest import manifest
        from civitas.components.meetings.models import Meeting, Registration
        from civitas.core.media import register_media
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        from civitas.components.meetings.home import register_home_blocks

        register_home_blocks()
        # A meeting's image is seen by whoever may see the meeting: its component's
        # readers once published and not hidden, the space's admins always.
        register_media(
            Meeting,
            "image",
            organization_field="component__space__organization",
            may_see=lambda request, meeting: (
                request.user.has_perm("spaces.admin_space", meeting.component.space)
                or (
                    meeting.published_at is not None
                    and meeting.hidden_at is None
                    and request.user.has_perm("components.view_component", meeting.component)
                )
            ),
            download_name=lambda meeting: f"meeting-{meeting.pk}",
            select_related=("component__space",),
            thumbnails=("card",),
        )
        register_commentable(
            Meeting,
            component_of=lambda meeting: meeting.component,
            url_of=lambda meeting: meeting.get_absolute_url(),
            title_of=lambda meeting: meeting.title,
            count_field="comment_count",
        )
        register_searchable(
            "meeting",
            _("Meetings"),
            Meeting,
            document=_meeting_document,
            queryset=lambda: Meeting.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=30,
            date_field="start_time",
        )
        register_participation(
            "meeting_registration",
            _("Meeting registrations"),
            lambda: Registration.objects.exclude(status=Registration.Status.CANCELLED),
            user_field="user",
            space_field="meeting__component__space",
            date_field="created_at",
            position=40,
            counted=ngettext_lazy(
                "%(count)s meeting registration", "%(count)s meeting registrations", "count"
            ),
        )
        from civitas.components.meetings import opendata  # noqa: F401  (registers its datasets)
