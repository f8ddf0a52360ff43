"""Forms of the synthesis pages: what an admin writes when merging, splitting or importing."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from civitas.components.proposals.models import Proposal
from civitas.components.proposals.synthesis import IMPORTABLE_STATES, TITLE_LENGTH, Part
from civitas.editor.widgets import RichTextWidget

MAX_PARTS = 8


class PartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH)
    body = forms.CharField(label=_("Proposal"), widget=RichTextWidget(attrs={"rows": 8}))

    def part(self) -> Part:
        return Part(self.cleaned_data["title"], self.cleaned_data["body"])


def part_forms(data, count: int, initial=()) -> list[PartForm]:
    initial = list(initial)
    return [
        PartForm(data, prefix=f"part-{index}", initial=initial[index] if index < len(initial) else None)
        for index in range(count)
    ]


def parse_ids(text: str) -> list[int]:
    """The ids a form carries as "3,7,12"; anything else is no id at all."""
    ids = []
    for piece in (text or "").split(","):
        piece = piece.strip()
        if not piece.isdigit() or len(piece) > 12:
            return []
        ids.append(int(piece))
    return ids


def part_count(value, *, default: int, minimum: int) -> int:
    return min(max(int(value), minimum), MAX_PARTS) if str(value).isdigit() else default


class ComponentImportForm(forms.Form):
    source = forms.ChoiceField(label=_("Import from the component"))
    states = forms.MultipleChoiceField(
        label=_("States to import"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(state.value, state.label) for state in IMPORTABLE_STATES],
        initial=[Proposal.State.ACCEPTED],
    )
    keep_authors = forms.BooleanField(
        label=_("Keep the authors"),
        required=False,
        initial=True,
        help_text=_("Otherwise you are the author of the copies."),
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {str(source.pk): source for source in sources}
        self.fields["source"].choices = [
            (str(source.pk), f"{source.space.title} · {source.name}") for source in sources
        ]

    def clean_source(self):
        return self.sources[self.cleaned_data["source"]]


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


class MeetingChoiceForm(forms.Form):
    meeting = forms.ChoiceField(label=_("Closed meeting"))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {str(meeting.pk): meeting for meeting in meetings}
        self.fields["meeting"].choices = [
            (str(meeting.pk), f"{meeting.title} · {_day(meeting.start_time)}") for meeting in meetings
        ]

    def clean_meeting(self):
        return self.meetings[self.cleaned_data["meeting"]]
