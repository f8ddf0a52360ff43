"""Who sees which amendment. One rule, asked by every page, list, search result and history."""

from django.contrib.contenttypes.models import ContentType

from civitas.amendments import registry
from civitas.amendments.models import Amendment


def entry_of(amendment) -> registry.Amendable | None:
    content_type = ContentType.objects.get_for_id(amendment.content_type_id)
    return registry.for_key(f"{content_type.app_label}.{content_type.model}")


def target_of(amendment, entry=None):
    """The amended object, its component already attached (no query for it on the page)."""
    cached = getattr(amendment, "_target", None)
    if cached is not None:
        return cached
    entry = entry or entry_of(amendment)
    target = entry.model._default_manager.filter(pk=amendment.object_id).first()
    if (
        target is not None
        and hasattr(target, "component_id")
        and target.component_id == amendment.component_id
    ):
        target.component = amendment.component
    amendment._target = target
    return target


def is_moderator(user, component) -> bool:
    return user.is_authenticated and user.has_perm("spaces.moderate_space", component)


def is_decider(user, entry, target) -> bool:
    return user.is_authenticated and user.pk in set(entry.deciders_of(target))


def may_see_amendment(user, amendment) -> bool:
    """Whoever may read the target, unless moderation hid the amendment (its amender and the
    space's moderators still see it) or the component shows amendments to their
    participants only (the amender, the deciders, the moderators)."""
    entry = entry_of(amendment)
    target = target_of(amendment, entry) if entry else None
    if target is None or not user.has_perm("components.view_component", amendment.component):
        return False
    if not entry.can_view(user, target):
        return False
    is_amender = user.is_authenticated and amendment.amender_id == user.pk
    if is_amender or is_moderator(user, amendment.component):
        return True
    if amendment.hidden_at is not None:
        return False
    if entry.visibility_of(amendment.component) == registry.VISIBILITY_PARTICIPANTS:
        return is_decider(user, entry, target)
    return True


def is_public(amendment) -> bool:
    """Whether anyone at all may see it without a role: what search and open data may show."""
    entry = entry_of(amendment)
    return (
        entry is not None
        and amendment.hidden_at is None
        and entry.visibility_of(amendment.component) == registry.VISIBILITY_ALL
    )


def visible_amendments(target, user, entry=None):
    """The target's amendments this person may see, amenders loaded: one query for the list."""
    entry = entry or registry.for_model(target)
    component = entry.component_of(target)
    amendments = Amendment.objects.of(target).select_related("amender")
    if is_moderator(user, component):
        return amendments
    if not user.is_authenticated:
        if entry.visibility_of(component) == registry.VISIBILITY_PARTICIPANTS:
            return amendments.none()
        return amendments.filter(hidden_at__isnull=True)
    mine_or_shown = amendments.filter(amender=user) | amendments.filter(hidden_at__isnull=True)
    if entry.visibility_of(component) == registry.VISIBILITY_PARTICIPANTS and not is_decider(
        user, entry, target
    ):
        return amendments.filter(amender=user)
    return mine_or_shown


def promoted_from(target):
    """The amendment whose rejection gave birth to ``target``, if it did."""
    content_type = ContentType.objects.get_for_model(type(target), for_concrete_model=False)
    return (
        Amendment.objects.filter(content_type=content_type, promoted_id=target.pk)
        .select_related("component__space", "amender")
        .first()
    )


def phase_allows(component, permission: str | None) -> bool:
    """Whether the component's active phase switches an action on, whoever asks.

    Read from the manifest action behind ``permission`` (``"proposals.amend"``), so that a
    page can say "closed in this phase" without a person to ask the permission of.
    """
    if not permission:
        return False
    manifest = component.manifest
    name = permission.split(".", 1)[-1]
    action = next((action for action in manifest.actions if action.name == name), None) if manifest else None
    if action is None:
        return False
    if action.phase_setting is None:
        return True
    current = component.active_phase_settings().get(action.phase_setting)
    wanted = action.phase_setting_value
    if wanted is None:
        return bool(current)
    return current in wanted if isinstance(wanted, tuple) else current == wanted
