"""Space actions. Each ``do_*`` changes data and writes one action-log entry in the same transaction."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from civitas.actionlog.services import log_action, snapshot
from civitas.spaces.blueprints import BLUEPRINTS
from civitas.spaces.models import Phase, Space, SpaceRole, Tag
from civitas.spaces.phases import phase_for_day


def unique_slug(organization, title: str, exclude_pk=None) -> str:
    base = slugify(title)[:70] or "espace"
    slug, suffix = base, 1
    taken = Space.objects.filter(organization=organization).exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _set_tags(space, names) -> None:
    space.tags.set(
        [Tag.objects.get_or_create(organization=space.organization, name=name)[0] for name in names]
    )


@transaction.atomic
def do_create_space(*, organization, user, blueprint: str | None = None, tags=(), **fields) -> Space:
    fields.setdefault("slug", unique_slug(organization, fields["title"]))
    position = (
        Space.objects.filter(organization=organization).aggregate(top=Max("position"))["top"] or 0
    ) + 1
    space = Space.objects.create(organization=organization, position=position, **fields)
    _set_tags(space, tags)
    if blueprint:
        with override(organization.default_locale):
            for index, (title, description) in enumerate(BLUEPRINTS[blueprint].phases):
                Phase.objects.create(
                    space=space, title=str(title), description=str(description), position=index
                )
    log_action(
        organization=organization,
        user=user,
        action="space.create",
        target=space,
        space=space,
        after=snapshot(space),
    )
    return space


@transaction.atomic
def do_update_space(*, space, user, form) -> Space:
    before = snapshot(Space.objects.get(pk=space.pk))
    space = form.save()
    _set_tags(space, form.cleaned_data.get("tags", []))
    log_action(
        organization=space.organization,
        user=user,
        action="space.update",
        target=space,
        space=space,
        before=before,
        after=snapshot(space),
    )
    return space


@transaction.atomic
def do_set_published(*, space, user, published: bool) -> None:
    before = {"published_at": space.published_at.isoformat() if space.published_at else None}
    space.published_at = (space.published_at or timezone.now()) if published else None
    space.save(update_fields=["published_at", "updated_at"])
    log_action(
        organization=space.organization,
        user=user,
        action="space.publish" if published else "space.unpublish",
        target=space,
        space=space,
        before=before,
        after={"published_at": space.published_at.isoformat() if space.published_at else None},
    )


@transaction.atomic
def do_move(*, item, siblings, user, direction: int, action: str, space) -> None:
    """Swap an item with its neighbour; positions are renumbered so they stay dense."""
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(ordered):
        target = index
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    log_action(
        organization=space.organization,
        user=user,
        action=action,
        target=item,
        space=space,
        before={"position": index},
        after={"position": target},
    )


@transaction.atomic
def do_save_phase(*, space, user, form) -> Phase:
    creating = form.instance.pk is None
    before = None if creating else snapshot(Phase.objects.get(pk=form.instance.pk))
    phase = form.save(commit=False)
    phase.space = space
    if creating:
        phase.position = (space.phases.aggregate(top=Max("position"))["top"] or -1) + 1
    phase.save()
    log_action(
        organization=space.organization,
        user=user,
        action="phase.create" if creating else "phase.update",
        target=phase,
        space=space,
        before=before,
        after=snapshot(phase),
    )
    return phase


@transaction.atomic
def do_delete_phase(*, phase, user) -> None:
    space = phase.space
    before = snapshot(phase)
    if space.active_phase_id == phase.pk:
        space.active_phase = None
        space.save(update_fields=["active_phase", "updated_at"])
    log_action(
        organization=space.organization,
        user=user,
        action="phase.delete",
        target=phase,
        space=space,
        before=before,
    )
    phase.delete()


@transaction.atomic
def do_activate_phase(*, space, phase, user) -> None:
    """Make a phase the current one by hand; followers are told it opened."""
    previous = space.active_phase_id
    _set_active_phase(space, phase)
    log_action(
        organization=space.organization,
        user=user,
        action="phase.activate",
        target=phase or space,
        space=space,
        before={"active_phase": previous},
        after={"active_phase": phase.pk if phase else None},
    )


def _set_active_phase(space, phase) -> bool:
    if space.active_phase_id == (phase.pk if phase else None):
        return False
    space.active_phase = phase
    space.save(update_fields=["active_phase", "updated_at"])
    if phase is not None:
        from civitas.notifications.services import notify_followers

        notify_followers(space, kind="phase_opened", target=phase, url=f"/spaces/{space.slug}/")
    return True


def switch_phases_by_date(today=None) -> int:
    """Set the current phase of every date-driven process; returns how many changed."""
    today = today or timezone.localdate()
    changed = 0
    spaces = Space.objects.filter(phase_switching=Space.PhaseSwitching.BY_DATE).prefetch_related("phases")
    for space in spaces:
        phase = phase_for_day(list(space.phases.all()), today)
        with transaction.atomic():
            if _set_active_phase(space, phase):
                log_action(
                    organization=space.organization,
                    user=None,
                    action="phase.activate_by_date",
                    target=phase or space,
                    space=space,
                    after={"active_phase": phase.pk if phase else None},
                )
                changed += 1
    return changed


@transaction.atomic
def do_grant_role(*, space, user, person, role: str, title: str = "", is_public: bool = False) -> SpaceRole:
    last = space.roles.aggregate(top=Max("position"))["top"]
    granted, created = SpaceRole.objects.get_or_create(
        space=space,
        user=person,
        role=role,
        defaults={"title": title, "is_public": is_public, "position": 0 if last is None else last + 1},
    )
    if not created:
        granted.title, granted.is_public = title, is_public
        granted.save(update_fields=["title", "is_public"])
    log_action(
        organization=space.organization,
        user=user,
        action="role.grant" if created else "role.update",
        target=granted,
        space=space,
        after=snapshot(granted, fields=["user", "role", "title", "is_public"]),
    )
    return granted


@transaction.atomic
def do_revoke_role(*, granted: SpaceRole, user) -> None:
    space = granted.space
    log_action(
        organization=space.organization,
        user=user,
        action="role.revoke",
        target=granted,
        space=space,
        before=snapshot(granted, fields=["user", "role", "title", "is_public"]),
    )
    granted.delete()
