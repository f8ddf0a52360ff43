"""The home page's block of upcoming meetings (registered from the app's ready())."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.homepage.builtin import visible_spaces
from civitas.homepage.forms import CountForm
from civitas.homepage.registry import BlockType, register_block_type
from civitas.maps.home import register_home_markers
from civitas.maps.markers import MAX_MARKERS


def _coming(spaces):
    """Published meetings not over yet, in the spaces given, soonest first."""
    from civitas.components.meetings.models import Meeting

    return (
        Meeting.objects.visible()
        .filter(
            component__published_at__isnull=False, component__space__in=spaces, end_time__gte=timezone.now()
        )
        .select_related("component__space")
        .order_by("start_time", "pk")
    )


def upcoming_meetings(request, block) -> dict | None:
    meetings = list(_coming(visible_spaces(request))[: int(block.settings.get("count", 3))])
    return {"meetings": meetings} if meetings else None


def located_meetings(request, spaces) -> list:
    """The home map's meetings: the coming ones held somewhere, in the spaces shown."""
    from civitas.components.meetings.models import Meeting

    located = _coming(spaces).filter(latitude__isnull=False, longitude__isnull=False)
    return list(located.exclude(kind=Meeting.Kind.ONLINE)[:MAX_MARKERS])


def register_home_blocks() -> None:
    register_home_markers("meetings", located_meetings)
    register_block_type(
        BlockType(
            name="upcoming_meetings",
            label=_("Upcoming meetings"),
            description=_("The next meetings of the spaces the visitor may see."),
            heading=_("Upcoming meetings"),
            template="meetings/home_block.html",
            context=upcoming_meetings,
            form=CountForm,
            default_position=20,
            position=30,
        )
    )
