"""What a visitor sees of a process group: only the processes they may see, counted alike."""

from django.db.models import Count

from civitas.spaces.models import ProcessGroup, Space


def visible_processes(group, user):
    return Space.objects.filter(
        organization_id=group.organization_id, group=group, kind=Space.Kind.PROCESS
    ).listed_for(user)


def groups_with_counts(organization, user, spaces) -> list[ProcessGroup]:
    """The groups of ``spaces`` (already filtered for the visitor), each with ``shown_count``:
    how many of its processes the visitor may see, whatever the list's filters."""
    ids = spaces.filter(group__isnull=False).values("group_id")
    groups = list(ProcessGroup.objects.filter(organization=organization, pk__in=ids))
    if not groups:
        return []
    counts = dict(
        Space.objects.filter(organization=organization, kind=Space.Kind.PROCESS, group__in=groups)
        .listed_for(user)
        .values("group_id")
        .annotate(shown=Count("pk"))
        .values_list("group_id", "shown")
    )
    for group in groups:
        group.shown_count = counts.get(group.pk, 0)
    return groups
