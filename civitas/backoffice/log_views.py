from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_date

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.readable import action_choices, readable_entry
from civitas.backoffice.decorators import backoffice_access_required
from civitas.backoffice.space_views import spaces_administered_by
from civitas.core.params import parse_id
from civitas.spaces import access


def _date(value: str):
    """The date typed in a filter, or None when it is not a date (the filter is then ignored)."""
    try:
        return parse_date(value)
    except ValueError:  # well formed but impossible, e.g. 2027-13-45
        return None


@backoffice_access_required
def action_log(request):
    """The whole log for organization admins; space admins see their spaces' part only."""
    entries = ActionLogEntry.objects.filter(organization=request.organization).select_related("user", "space")
    spaces = spaces_administered_by(request).order_by("title")
    if not access.is_organization_admin_of(request.user, request.organization.pk):
        entries = entries.filter(space__in=spaces)
    visible = entries  # before the filters: the authors to choose from are those of the visible part
    filters = {
        "space": request.GET.get("space", ""),
        "user": request.GET.get("user", ""),
        "action": request.GET.get("action", ""),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    if space_id := parse_id(filters["space"]):
        entries = entries.filter(space_id=space_id)
    if user_id := parse_id(filters["user"]):
        entries = entries.filter(user_id=user_id)
    if "." in filters["action"]:  # one action, as the filter's list gives it
        entries = entries.filter(action=filters["action"])
    elif filters["action"]:  # a family of actions typed in the address: "space", "phase"…
        entries = entries.filter(action__startswith=filters["action"] + ".")
    if since := _date(filters["since"]):
        entries = entries.filter(created_at__date__gte=since)
    if until := _date(filters["until"]):
        entries = entries.filter(created_at__date__lte=until)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = [readable_entry(entry) for entry in page.object_list]
    authors = get_user_model().objects.filter(pk__in=visible.values("user_id")).order_by("nickname")
    context = {
        "page": page,
        "spaces": spaces,
        "authors": authors,
        "filters": filters,
        "actions": action_choices(visible.order_by().values_list("action", flat=True).distinct()[:300]),
    }
    return render(request, "backoffice/action_log.html", context)
