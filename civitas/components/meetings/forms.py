from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.meetings.models import Meeting
from civitas.core.image_forms import ImageAltMixin
from civitas.editor.widgets import RichTextWidget
from civitas.maps.forms import LocatedFormMixin

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(ImageAltMixin, LocatedFormMixin, forms.ModelForm):
    online_url = forms.URLField(
        label=_("address of the online meeting"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "start_time",
            "end_time",
            "address",
            "location_hints",
            "online_url",
            "description",
            "agenda",
            "image",
            "image_alt",
            "registrations_enabled",
            "capacity",
        ]
        widgets = {
            "start_time": DATETIME,
            "end_time": DATETIME,
            "description": RichTextWidget(attrs={"rows": 6}, uploads=True),
            "agenda": RichTextWidget(attrs={"rows": 8}, uploads=True),
        }

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_address(organization or self.instance.component.space.organization)
        self.fields["image"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        )
        self.fields["image"].help_text = _(
            "Shown on the meeting's card. PNG, JPEG, GIF or WebP, at most 2 MB."
        )

    def clean(self):
        data = super().clean()
        start, end, kind = data.get("start_time"), data.get("end_time"), data.get("kind")
        if start and end and end < start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        if kind in (Meeting.Kind.IN_PERSON, Meeting.Kind.HYBRID) and not data.get("address"):
            self.add_error("address", _("An in-person meeting needs an address."))
        if kind in (Meeting.Kind.ONLINE, Meeting.Kind.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", _("An online meeting needs the address where it takes place."))
        return data


class CloseForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes", "attendee_count", "attending_organizations", "proposals"]
        widgets = {
            "minutes": RichTextWidget(attrs={"rows": 12}, uploads=True),
            "attending_organizations": forms.Textarea(attrs={"rows": 3}),
            "proposals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.components.proposals.models import Proposal

        # Only published proposals of the same space can be linked.
        self.fields["proposals"].queryset = Proposal.objects.visible().filter(
            component__space=self.instance.component.space
        )
        self.fields["minutes"].required = True


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Code shown by the participant"), max_length=20)
