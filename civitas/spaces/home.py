"""The home page's "process group highlight" block (registered from the app's ready())."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.homepage.forms import BlockForm
from civitas.homepage.registry import BlockType, register_block_type

SHOWN_PROCESSES = 4


class GroupHighlightForm(BlockForm):
    group = forms.TypedChoiceField(label=_("Group of processes highlighted"), coerce=int)
    text = forms.CharField(
        label=_("Why take part"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    settings_fields = ("group", "text")

    def __init__(self, *args, **kwargs):
        from civitas.spaces.models import ProcessGroup

        super().__init__(*args, **kwargs)
        groups = ProcessGroup.objects.filter(organization=self.organization).order_by("position", "pk")
        self.fields["group"].choices = [(group.pk, group.title) for group in groups]


def group_highlight(request, block) -> dict | None:
    """The group, if the visitor may see one of its processes, with the first of those processes."""
    from civitas.spaces.groups import visible_processes
    from civitas.spaces.models import ProcessGroup

    group = ProcessGroup.objects.filter(
        organization=request.organization, pk=block.settings.get("group")
    ).first()
    if group is None:
        return None
    # Two queries whatever the group's size: the first processes, and how many there are.
    shown = visible_processes(group, request.user).select_related("active_phase").order_by("position", "pk")
    processes = list(shown[:SHOWN_PROCESSES])
    if not processes:
        return None  # nothing the visitor may see: the block is left out, as the group page is
    count = len(processes) if len(processes) < SHOWN_PROCESSES else shown.count()
    return {"group": group, "processes": processes, "count": count}


def register_home_blocks() -> None:
    register_block_type(
        BlockType(
            name="process_group",
            label=_("Highlighted group of processes"),
            description=_(
                "A group of processes put forward, e.g. a participatory budget run in every district."
            ),
            heading=_("One process, every district"),
            template="spaces/home_group_block.html",
            context=group_highlight,
            form=GroupHighlightForm,
            position=25,
        )
    )
