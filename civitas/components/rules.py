"""Permissions on components: the space's rules plus publication and per-phase switches."""

import rules

from civitas.spaces.rules import can_admin_space


@rules.predicate
def component_is_published(user, component) -> bool:
    return component.is_published


@rules.predicate
def may_view_the_space(user, component) -> bool:
    return user.has_perm("spaces.view_space", component.space)


@rules.predicate
def participates_in_the_space(user, component) -> bool:
    return user.has_perm("spaces.participate_in_space", component.space)


def _phase_setting_on(setting: str, value=None):
    @rules.predicate(name=f"phase_setting_on({setting}={value})")
    def predicate(user, component) -> bool:
        current = component.active_phase_settings().get(setting)
        if value is None:
            return bool(current)
        return current in value if isinstance(value, tuple) else current == value

    return predicate


# Visitors first: the admin check reads the account's roles, which a published component
# of a space the visitor may see does not need.
rules.add_perm("components.view_component", (component_is_published & may_view_the_space) | can_admin_space)
rules.add_perm("components.admin_component", can_admin_space)


def register_action_permissions(manifest) -> None:
    """``<type>.<action>``: may take part in the space, component published, phase switch on,
    and holds the verifications the admins require for it in this phase."""
    from civitas.authorizations.requirements import guarded

    for action in manifest.actions:
        predicate = participates_in_the_space & component_is_published
        if action.phase_setting:
            predicate &= _phase_setting_on(action.phase_setting, action.phase_setting_value)
        permission = f"{manifest.name}.{action.name}"
        rules.set_perm(permission, guarded(permission, action.name, predicate))
