"""Resources that can be reported and hidden declare themselves here (proposals, comments…).

A moderatable model has a nullable ``hidden_at`` field; the registry tells moderation
how to find the resource's space, author, title and public address.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


def _nothing_to_do(ids: Iterable[int]) -> None:
    return None


@dataclass(frozen=True)
class Moderatable:
    model: type
    space_of: Callable
    author_of: Callable
    title_of: Callable
    url_of: Callable
    # Called in the same transaction with the ids whose ``hidden_at`` moderation just set
    # or cleared, for what depends on it (e.g. the comment counters).
    after_hidden_changed: Callable[[Iterable[int]], None] = _nothing_to_do
    # Called first, before moderation writes anything, with the ids it may hide or
    # restore: to lock the rows ``after_hidden_changed`` will change, in the order the
    # model's own actions lock them (a moderation record bumps the space's content
    # versions, which those actions lock last).
    before_hidden_change: Callable[[Iterable[int]], None] = _nothing_to_do
    # The field holding what the author wrote besides its title (HTML or text): what spam
    # scoring reads, for the contribution and for its author's account.
    text_field: str = "body"


_moderatables: dict[str, Moderatable] = {}


def register_moderatable(
    model,
    *,
    space_of,
    author_of,
    title_of=str,
    url_of=lambda obj: obj.get_absolute_url(),
    after_hidden_changed: Callable[[Iterable[int]], None] = _nothing_to_do,
    before_hidden_change: Callable[[Iterable[int]], None] = _nothing_to_do,
    text_field: str = "body",
):
    _moderatables[model._meta.label_lower] = Moderatable(
        model, space_of, author_of, title_of, url_of, after_hidden_changed, before_hidden_change, text_field
    )


def moderatable_for(obj_or_model) -> Moderatable | None:
    return _moderatables.get(obj_or_model._meta.label_lower)


def all_moderatables() -> list[Moderatable]:
    return list(_moderatables.values())
