"""The home page's blocks: which ones a visitor sees, and what admins do to them."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from civitas.actionlog.services import log_action, snapshot
from civitas.homepage.models import HomeBlock, HomeLayout
from civitas.homepage.registry import BlockType, default_block_types
from civitas.organizations.models import Organization


@dataclass
class ShownBlock:
    block: HomeBlock
    block_type: BlockType
    heading: Any
    anchor: str
    context: dict


def default_blocks(organization) -> list[HomeBlock]:
    """The blocks of a home page nobody has arranged yet (unsaved)."""
    return [
        HomeBlock(organization=organization, kind=block_type.name, position=index)
        for index, block_type in enumerate(default_block_types())
    ]


def home_blocks(organization) -> list[HomeBlock]:
    """The organization's blocks in their order, hidden ones included: the defaults until
    an admin arranges the page. One query (two before the first arrangement)."""
    blocks = list(HomeBlock.objects.filter(organization=organization).order_by("position", "pk"))
    if blocks or HomeLayout.objects.filter(organization=organization).exists():
        return blocks
    return default_blocks(organization)


def shown_blocks(request) -> list[ShownBlock]:
    """What the visitor of this request sees: visible blocks of a registered type that have
    something to show, each with its context."""
    shown = []
    for block in home_blocks(request.organization):
        block_type = block.block_type
        if not block.visible or block_type is None:
            continue
        context = block_type.context(request, block)
        if context is None:
            continue
        heading = block.title or block_type.heading
        shown.append(ShownBlock(block, block_type, heading, f"home-block-{len(shown) + 1}", context))
    return shown


@transaction.atomic
def ensure_arranged(organization) -> None:
    """Store the default blocks the first time an admin opens the arrangement, so that each
    has an id to act on; the page looks the same. Safe against two admins at once."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if HomeLayout.objects.filter(organization=organization).exists():
        return
    HomeLayout.objects.create(organization=organization)
    if not HomeBlock.objects.filter(organization=organization).exists():
        HomeBlock.objects.bulk_create(default_blocks(organization))


def _log(block, *, user, action, before=None, after=None):
    log_action(
        organization=block.organization,
        user=user,
        action=action,
        target=block,
        before=before,
        after=after,
    )


def _logged(block) -> dict:
    return snapshot(block, fields=["kind", "title", "settings", "image", "image_alt", "visible"])


@transaction.atomic
def do_add_block(*, organization, user, form) -> HomeBlock:
    ensure_arranged(organization)
    block = form.apply()
    block.organization = organization
    top = HomeBlock.objects.filter(organization=organization).aggregate(top=Max("position"))["top"]
    block.position = 0 if top is None else top + 1
    block.save()
    _log(block, user=user, action="home_block.create", after=_logged(block))
    return block


@transaction.atomic
def do_save_block(*, block, user, form) -> HomeBlock:
    before = _logged(HomeBlock.objects.select_for_update().get(pk=block.pk))
    block = form.apply()
    block.save()
    _log(block, user=user, action="home_block.update", before=before, after=_logged(block))
    return block


@transaction.atomic
def do_move_block(*, block, user, direction: int) -> None:
    """Swap the block with its neighbour; positions are renumbered so they stay dense."""
    ordered = list(
        HomeBlock.objects.select_for_update()
        .filter(organization=block.organization)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == block.pk)
    target = min(max(index + direction, 0), len(ordered) - 1)
    if target == index:
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position", "updated_at"])
    _log(
        block,
        user=user,
        action="home_block.move",
        before={"position": index + 1},
        after={"position": target + 1},
    )


@transaction.atomic
def do_set_visible(*, block, user, visible: bool) -> None:
    if block.visible == visible:
        return
    block.visible = visible
    block.save(update_fields=["visible", "updated_at"])
    _log(
        block,
        user=user,
        action="home_block.show" if visible else "home_block.hide",
        before={"visible": not visible},
        after={"visible": visible},
    )


@transaction.atomic
def do_delete_block(*, block, user) -> None:
    _log(block, user=user, action="home_block.delete", before=_logged(block))
    block.delete()
    remaining = HomeBlock.objects.filter(organization=block.organization).order_by("position", "pk")
    for position, sibling in enumerate(remaining):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
