"""Space actions. Each ``do_*`` changes data and writes one action-log entry in the same transaction."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import override

from civitas.actionlog.services import log_action, snapshot
from civitas.spaces.blueprints import BLUEPRINTS, planned_components
from civitas.spaces.models import Phase, ProcessGroup, Space, SpaceRole, Tag
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
def do_create_space(
    *, organization, user, blueprint: str | None = None, blueprint_components: bool = True, tags=(), **fields
) -> Space:
    fields.setdefault("slug", unique_slug(organization, fields["title"]))
    position = (
        Space.objects.filter(organization=organization).aggregate(top=Max("position"))["top"] or 0
    ) + 1
    space = Space.objects.create(organization=organization, position=position, **fields)
    _set_tags(space, tags)
    created = []
    if blueprint:
        created = _apply_blueprint(space, BLUEPRINTS[blueprint], with_components=blueprint_components)
    # One entry for the whole act: the template's phases and components are part of the creation.
    after = snapshot(space)
    if blueprint:
        after.update(blueprint=blueprint, created_components=created)
    log_action(
        organization=organization,
        user=user,
        action="space.create",
        target=space,
        space=space,
        after=after,
    )
    return space


def _apply_blueprint(space, blueprint, *, with_components: bool) -> list[str]:
    """The blueprint's phases, then its unpublished components with their settings mapped onto
    those phases; returns the names of the components made."""
    from civitas.components.models import Component

    with override(space.organization.default_locale):
        phases = [
            Phase.objects.create(space=space, title=str(title), description=str(description), position=index)
            for index, (title, description) in enumerate(blueprint.phases)
        ]
        created = []
        for position, (plan, manifest) in enumerate(planned_components(blueprint) if with_components else []):
            component = Component.objects.create(
                space=space,
                manifest_name=manifest.name,
                name=str(plan.name),
                position=position,
                # Through the type's schemas: a template's value the type refuses fails loudly here.
                settings=manifest.settings.clean({**manifest.settings.defaults(), **plan.settings}),
                phase_settings={
                    str(phase.pk): manifest.phase_settings.clean(
                        {**manifest.phase_settings.defaults(), **plan.phase_settings.get(index, {})}
                    )
                    for index, phase in enumerate(phases)
                }
                if manifest.phase_settings
                else {},
            )
            if manifest.on_create:
                manifest.on_create(component)
            created.append(component.name)
    return created


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


def tell_role_change(person, *, role_label, space=None, granted: bool) -> None:
    """E-mail someone who gains or loses a role (in a space, or in the whole organization)."""
    from django.urls import reverse

    from civitas.core.mail import send_email_after_commit
    from civitas.organizations.links import absolute_url

    send_email_after_commit(
        to=person.email,
        template="email/role_granted" if granted else "email/role_removed",
        context={
            "user": person,
            "role": role_label,
            "space": space,
            "link": absolute_url(person.organization, reverse("accounts:login")),
        },
        locale=person.locale,
        organization=person.organization,
    )


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
    if created:
        tell_role_change(person, role_label=granted.get_role_display(), space=space, granted=True)
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
    tell_role_change(granted.user, role_label=granted.get_role_display(), space=space, granted=False)
    granted.delete()


# --- Copying a space ------------------------------------------------------------------

# What a copy takes from its source: the space's own texts and settings. Never its
# participation (members, proposals, votes, comments): the copy starts empty.
COPIED_FIELDS = (
    "kind",
    "subtitle",
    "description",
    "visibility",
    "phase_switching",
    "purpose",
    "composition",
    "parent",
    "group",
)


def check_copy_space(*, space, shift_days: int) -> None:
    """Raise ValueError with a reason when the copy's dates would leave the calendar."""
    dates = [space.start_date, space.end_date]
    dates += [day for phase in space.phases.all() for day in (phase.start_date, phase.end_date)]
    try:
        for day in dates:
            if day is not None:
                day + datetime.timedelta(days=shift_days)
    except OverflowError as error:
        raise ValueError("dates out of range") from error


def _shifted(day, shift_days: int):
    return day + datetime.timedelta(days=shift_days) if day is not None else None


@transaction.atomic
def do_copy_space(*, space, user, title: str, shift_days: int = 0) -> Space:
    """A new draft space with the source's texts, tags, phases and components with their settings.

    Per-phase settings are keyed by phase id: they are carried over to the copied phases.
    Components are created empty (their manifest's ``on_create`` runs as for a new one),
    then given the source's settings; the manifest's ``on_copy`` hook, when it has one,
    carries over the admin's own content (a page's text), never what participants wrote.
    """
    from civitas.components.models import Component

    check_copy_space(space=space, shift_days=shift_days)
    organization = space.organization
    position = (
        Space.objects.filter(organization=organization).aggregate(top=Max("position"))["top"] or 0
    ) + 1
    copy = Space.objects.create(
        organization=organization,
        title=title,
        slug=unique_slug(organization, title),
        position=position,
        start_date=_shifted(space.start_date, shift_days),
        end_date=_shifted(space.end_date, shift_days),
        **{name: getattr(space, name) for name in COPIED_FIELDS},
    )
    copy.tags.set(space.tags.all())
    phase_ids = {}
    for phase in space.phases.all():
        new_phase = Phase.objects.create(
            space=copy,
            title=phase.title,
            description=phase.description,
            start_date=_shifted(phase.start_date, shift_days),
            end_date=_shifted(phase.end_date, shift_days),
            position=phase.position,
        )
        phase_ids[str(phase.pk)] = str(new_phase.pk)
    if space.active_phase_id is not None and str(space.active_phase_id) in phase_ids:
        copy.active_phase_id = int(phase_ids[str(space.active_phase_id)])
        copy.save(update_fields=["active_phase", "updated_at"])
    copied_components = []
    for source in Component.objects.filter(space=space).order_by("position", "pk"):
        manifest = source.manifest
        if manifest is None:
            continue  # its type was removed from the installation
        component = Component.objects.create(
            space=copy,
            manifest_name=source.manifest_name,
            name=source.name,
            position=source.position,
            settings=dict(source.settings),
            phase_settings={
                phase_ids.get(key, key): dict(values)
                for key, values in source.phase_settings.items()
                if key in phase_ids or key == "default"
            },
        )
        if manifest.on_create:
            manifest.on_create(component)
        if manifest.on_copy:
            manifest.on_copy(source, component)
        copied_components.append(component.pk)
    log_action(
        organization=organization,
        user=user,
        action="space.copy",
        target=copy,
        space=copy,
        before={"copied_from": space.pk, "copied_from_title": space.title},
        after={
            **snapshot(copy),
            "copied_phases": len(phase_ids),
            "copied_components": len(copied_components),
            "shift_days": shift_days,
        },
    )
    return copy


# --- Process groups -------------------------------------------------------------------


def unique_group_slug(organization, title: str, exclude_pk=None) -> str:
    base = slugify(title)[:70] or "groupe"
    slug, suffix = base, 1
    taken = ProcessGroup.objects.filter(organization=organization).exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def _group_picture(group) -> dict:
    return {
        **snapshot(group, fields=["title", "slug", "organiser", "scope", "start_date", "end_date"]),
        "group_processes": sorted(group.processes.values_list("pk", flat=True)),
    }


@transaction.atomic
def do_save_group(*, organization, user, form) -> ProcessGroup:
    """Save a group from its admin form and put exactly the chosen processes in it."""
    creating = form.instance.pk is None
    before = None if creating else _group_picture(ProcessGroup.objects.get(pk=form.instance.pk))
    group = form.save(commit=False)
    group.organization = organization
    if creating:
        group.position = (
            ProcessGroup.objects.filter(organization=organization).aggregate(top=Max("position"))["top"] or 0
        ) + 1
    group.save()
    chosen = [space.pk for space in form.cleaned_data["processes"]]
    Space.objects.filter(organization=organization, group=group).exclude(pk__in=chosen).update(group=None)
    Space.objects.filter(organization=organization, kind=Space.Kind.PROCESS, pk__in=chosen).update(
        group=group
    )
    log_action(
        organization=organization,
        user=user,
        action="group.create" if creating else "group.update",
        target=group,
        before=before,
        after=_group_picture(group),
    )
    return group


@transaction.atomic
def do_delete_group(*, group, user) -> None:
    """Delete a group; its processes stay, outside any group."""
    log_action(
        organization=group.organization,
        user=user,
        action="group.delete",
        target=group,
        before=_group_picture(group),
    )
    group.delete()
