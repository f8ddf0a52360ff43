"""The forms admins fill in for each kind of block.

A block type's form subclasses ``BlockForm``: the fields named in ``settings_fields`` are
stored in the block's ``settings`` (JSON: give fields whose cleaned values are strings,
numbers, booleans or lists of them). ``apply()`` writes the form into ``self.block``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.images import validate_uploaded_image
from civitas.core.links import parse_web_address
from civitas.editor.widgets import RichTextWidget

COUNT_CHOICES = [(3, "3"), (6, "6"), (9, "9")]


class BlockForm(forms.Form):
    title = forms.CharField(label=_("Block heading"), max_length=200, required=False)
    settings_fields: tuple[str, ...] = ()

    def __init__(self, *args, block, organization, **kwargs):
        self.block = block
        self.organization = organization
        initial = {"title": block.title, **block.settings}
        super().__init__(*args, initial=initial, **kwargs)
        block_type = block.block_type
        if block_type is not None and block_type.heading:
            self.fields["title"].help_text = _("Leave empty for the usual heading: “%(heading)s”.") % {
                "heading": block_type.heading
            }

    def apply(self):
        self.block.title = self.cleaned_data["title"]
        self.block.settings = {
            **self.block.settings,
            **{name: self.cleaned_data[name] for name in self.settings_fields},
        }
        return self.block


class CountForm(BlockForm):
    """The heading and how many items the block shows."""

    count = forms.TypedChoiceField(
        label=_("Number of items shown"), choices=COUNT_CHOICES, coerce=int, initial=3
    )
    settings_fields = ("count",)


def clean_link(value: str) -> str:
    """A path of this site ("/spaces/") or an absolute http(s) address; anything else is refused."""
    value = value.strip()
    if not value:
        return ""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    address = parse_web_address(value)
    if address is None:
        raise forms.ValidationError(
            _("Give a page of this site starting with “/”, or a web address starting with https://.")
        )
    return address.url


class HeroForm(BlockForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to show the organization's name."),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty for the usual invitation to take part."),
    )
    button_label = forms.CharField(label=_("Button text"), max_length=80, required=False)
    button_link = forms.CharField(
        label=_("Button link"),
        max_length=500,
        required=False,
        help_text=_("A page of this site (/spaces/) or a web address (https://…)."),
    )
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        validators=[validate_uploaded_image],
        widget=forms.ClearableFileInput,
    )
    image_alt = forms.CharField(
        label=_("Text alternative of the image"),
        max_length=300,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    settings_fields = ("text", "button_label", "button_link")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["image"] = self.block.image
        self.initial["image_alt"] = self.block.image_alt

    def clean_button_link(self):
        return clean_link(self.cleaned_data["button_link"])

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        keeps_image = image is not False and (image or self.block.image)
        if keeps_image and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Say what the image shows."))
        if bool(cleaned.get("button_label", "").strip()) != bool(cleaned.get("button_link")):
            self.add_error("button_link", _("Give both the button's text and its link, or neither."))
        return cleaned

    def apply(self):
        block = super().apply()
        image = self.cleaned_data["image"]
        if image is False:
            block.image = None
            block.image_alt = ""
        else:
            if image:
                block.image = image
            block.image_alt = self.cleaned_data["image_alt"].strip() if block.image else ""
        return block


class SpacesForm(BlockForm):
    selection = forms.ChoiceField(
        label=_("Spaces shown"),
        choices=[
            ("open", _("Spaces under way today, promoted ones first")),
            ("promoted", _("Spaces promoted on the home page")),
        ],
        initial="open",
    )
    count = forms.TypedChoiceField(
        label=_("Number of spaces shown"), choices=COUNT_CHOICES, coerce=int, initial=6
    )
    settings_fields = ("selection", "count")


class FreeTextForm(BlockForm):
    body = forms.CharField(
        label=_("Text"),
        widget=RichTextWidget(attrs={"rows": 10}, uploads=True),
    )
    settings_fields = ("body",)
