"""Permissions on one amendment, as django-rules predicates.

Writing, reacting to and promoting amendments are the component's own actions (declared
in its manifest, so each has its per-phase switch and verifications, see
``components.rules``). The ones here are about a given amendment: seeing it, changing it
(its amender, while it awaits the decision) and deciding on it (the target's deciders).
"""

import rules

from civitas.amendments.queries import entry_of, is_decider, may_see_amendment, target_of


@rules.predicate
def may_see(user, amendment) -> bool:
    return may_see_amendment(user, amendment)


@rules.predicate
def is_its_amender(user, amendment) -> bool:
    return user.is_authenticated and amendment.amender_id == user.pk


@rules.predicate
def decides_on_it(user, amendment) -> bool:
    entry = entry_of(amendment)
    target = target_of(amendment, entry) if entry else None
    return target is not None and is_decider(user, entry, target)


@rules.predicate
def awaits_decision(user, amendment) -> bool:
    return amendment.is_pending and amendment.hidden_at is None


rules.add_perm("amendments.view_amendment", may_see)
rules.add_perm("amendments.change_amendment", may_see & is_its_amender & awaits_decision)
rules.add_perm("amendments.decide_amendment", may_see & decides_on_it & awaits_decision)
