"""The home page's map: the located proposals, meetings and projects a visitor may see.

The maps app knows no component: each app that places things on the map registers a
source, ``source(request, spaces) -> list of loaded objects with latitude, longitude,
title and get_absolute_url()``, making one query scoped to ``spaces`` (the spaces the
visitor may see) and to its own visibility rules. Under the map, the newest located
items are listed as links: the map is never the only way to reach them, and without
JavaScript the list is the block.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.homepage.builtin import visible_spaces
from civitas.homepage.forms import BlockForm
from civitas.homepage.registry import BlockType, register_block_type
from civitas.maps.markers import MAX_MARKERS, map_context, markers_from_objects

_sources: dict[str, Callable] = {}
LISTED = 6


def register_home_markers(name: str, source: Callable) -> None:
    _sources[name] = source


class MapBlockForm(BlockForm):
    listed = forms.TypedChoiceField(
        label=_("Places listed under the map"),
        choices=[(3, "3"), (6, "6"), (9, "9")],
        coerce=int,
        initial=LISTED,
    )
    settings_fields = ("listed",)


def home_map(request, block) -> dict | None:
    spaces = visible_spaces(request)
    located = []
    for source in _sources.values():
        located.extend(source(request, spaces)[:MAX_MARKERS])
    markers = markers_from_objects(located)
    if not markers:
        return None
    list_id = f"home-map-list-{block.pk or 'default'}"
    return {
        "map": map_context(request.organization, markers, label=_("Map of the places"), list_id=list_id),
        "list_id": list_id,
        "listed": located[: int(block.settings.get("listed", LISTED))],
        "truncated": len(located) > MAX_MARKERS,
    }


def register_home_block() -> None:
    register_block_type(
        BlockType(
            name="map",
            label=_("Map"),
            description=_(
                "The proposals, meetings and projects that have an address, on a map, "
                "with the newest listed under it."
            ),
            heading=_("On the map"),
            template="maps/home_block.html",
            context=home_map,
            form=MapBlockForm,
            position=60,
        )
    )
