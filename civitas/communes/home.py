"""The metropolis's home-page block: the communes' spaces open now, and a way to all of them."""

from django.utils.translation import gettext_lazy as _

from civitas.communes.services import public_spaces_of_communes
from civitas.homepage.forms import CountForm
from civitas.homepage.registry import BlockType, register_block_type
from civitas.organizations.links import base_url


def communes_spaces(request, block) -> dict | None:
    spaces = list(
        public_spaces_of_communes(request.organization, period="active")[
            : int(block.settings.get("count", 3))
        ]
    )
    if not spaces:
        return None
    for space in spaces:
        space.site = base_url(space.organization)
    return {"spaces": spaces}


def register_home_blocks() -> None:
    register_block_type(
        BlockType(
            name="communes_spaces",
            label=_("Spaces of the communes"),
            description=_("The communes' public spaces open now, on the metropolis's home page."),
            heading=_("In the communes"),
            template="communes/home_block.html",
            context=communes_spaces,
            form=CountForm,
            position=35,
        )
    )
