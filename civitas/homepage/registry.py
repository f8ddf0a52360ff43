"""The kinds of block an organization's home page is made of, registered by the apps that own them.

The home page knows no component: each app registers its own kinds of block from its
``AppConfig.ready()``, with the form an admin fills in and the template that shows it::

    from civitas.homepage.registry import BlockType, register_block_type

    register_block_type(
        BlockType(
            name="upcoming_meetings",
            label=_("Upcoming meetings"),
            description=_("The next meetings of every space the visitor may see."),
            heading=_("Upcoming meetings"),
            template="meetings/home_block.html",
            context=upcoming_meetings,  # (request, block) -> dict, or None to show nothing
            form=CountForm,  # a civitas.homepage.forms.BlockForm
        )
    )

``context`` runs once per shown block on every home page: it must make a fixed number of
queries whatever the data (no query per item), scoped to ``request.organization`` and to
what ``request.user`` may see. It answers ``None`` when there is nothing to show, and
the block is left out. The template gets ``block``, ``heading``, ``anchor`` (the id of
its heading) and the context's keys. A block whose type is no longer registered (its app
was removed) is left out of the home page and shown as unavailable to admins.

``rich_text`` names the settings that hold HTML: they are sanitized whenever a block is
saved. ``default_position`` places the type in the home page of an organization whose
admins have arranged nothing yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BlockType:
    name: str
    label: Any
    description: Any
    template: str
    context: Callable[[Any, Any], dict | None]
    heading: Any = ""
    form: type | None = None  # None: the base form (the heading only)
    rich_text: tuple[str, ...] = ()
    default_position: int | None = None
    position: int = 100  # in the admin's list of kinds

    def form_class(self):
        if self.form is not None:
            return self.form
        from civitas.homepage.forms import BlockForm

        return BlockForm


_types: dict[str, BlockType] = {}


def register_block_type(block_type: BlockType) -> BlockType:
    """Registering a name again replaces its type (tests may register types of their own)."""
    if not block_type.name or len(block_type.name) > 50:
        raise ValueError(f"block type name {block_type.name!r} must be 1 to 50 characters")
    _types[block_type.name] = block_type
    from civitas.actionlog.registry import register_details

    # The action log names a block's kind as admins read it.
    register_details({}, {"kind": {block_type.name: block_type.label}}, replace=False)
    return block_type


def unregister_block_type(name: str) -> None:
    _types.pop(name, None)


def get_block_type(name: str) -> BlockType | None:
    return _types.get(name)


def all_block_types() -> list[BlockType]:
    return sorted(_types.values(), key=lambda block_type: (block_type.position, block_type.name))


def default_block_types() -> list[BlockType]:
    """The blocks of a home page nobody has arranged, in their order."""
    chosen = [block_type for block_type in _types.values() if block_type.default_position is not None]
    return sorted(chosen, key=lambda block_type: (block_type.default_position, block_type.name))
