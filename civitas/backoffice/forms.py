from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.image_forms import ImageAltMixin
from civitas.editor.widgets import RichTextWidget
from civitas.spaces.blueprints import BLUEPRINTS
from civitas.spaces.models import Phase, ProcessGroup, Space, SpaceRole


class TagListField(forms.CharField):
    """Comma-separated tags typed by the admin; the names are turned into Tag rows on save."""

    def to_python(self, value):
        return sorted({name.strip()[:60] for name in (value or "").split(",") if name.strip()})

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class SpaceForm(ImageAltMixin, forms.ModelForm):
    image_fields = ("image", "banner")

    tags = TagListField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    class Meta:
        model = Space
        fields = [
            "title",
            "subtitle",
            "slug",
            "description",
            "image",
            "image_alt",
            "banner",
            "banner_alt",
            "start_date",
            "end_date",
            "visibility",
            "promoted",
            "phase_switching",
            "purpose",
            "composition",
            "parent",
        ]
        widgets = {
            "description": RichTextWidget(attrs={"rows": 8}, uploads=True),
            "purpose": RichTextWidget(attrs={"rows": 4}, uploads=True),
            "composition": RichTextWidget(attrs={"rows": 4}, uploads=True),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, organization, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.kind = kind
        if self.instance.pk:
            self.initial["tags"] = [tag.name for tag in self.instance.tags.all()]
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the title.")
        self.fields["image"].help_text = _("Shown on the space's card in lists, cut to 16:9.")
        self.fields["banner"].help_text = _("Shown across the top of the space's page, cut to 16:5.")
        if kind == Space.Kind.PROCESS:
            for name in ("purpose", "composition", "parent"):
                del self.fields[name]
        else:
            del self.fields["phase_switching"]
            parents = Space.objects.filter(organization=organization, kind=Space.Kind.ASSEMBLY)
            if self.instance.pk:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents

    def clean_slug(self):
        from civitas.spaces.services import unique_slug

        slug = self.cleaned_data.get("slug")
        taken = Space.objects.filter(organization=self.organization, slug=slug).exclude(pk=self.instance.pk)
        if slug and taken.exists():
            raise forms.ValidationError(_("Another space already uses this short name."))
        return slug or unique_slug(self.organization, self.cleaned_data.get("title") or "", self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must come after the start date."))
        return cleaned


class NewSpaceForm(SpaceForm):
    blueprint = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        choices=[("", _("No phases yet")), *((key, bp.title) for key, bp in BLUEPRINTS.items())],
        help_text=_("Each template's phases and components are listed above the form."),
    )


class ProcessGroupForm(ImageAltMixin, forms.ModelForm):
    image_fields = ("image", "banner")

    processes = forms.ModelMultipleChoiceField(
        label=_("Processes in this group"),
        queryset=Space.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A process belongs to one group at most: ticking it here takes it out of another."),
    )

    class Meta:
        model = ProcessGroup
        fields = [
            "title",
            "slug",
            "description",
            "image",
            "image_alt",
            "banner",
            "banner_alt",
            "organiser",
            "scope",
            "start_date",
            "end_date",
        ]
        widgets = {
            "description": RichTextWidget(attrs={"rows": 8}, uploads=True),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "organiser": _("E.g. “City of Lyon, participatory democracy department”."),
            "scope": _("E.g. “The twelve districts of the city”."),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.fields["processes"].queryset = Space.objects.filter(
            organization=organization, kind=Space.Kind.PROCESS
        ).order_by("position", "pk")
        if self.instance.pk:
            self.initial["processes"] = list(self.instance.processes.values_list("pk", flat=True))
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the title.")
        self.fields["image"].help_text = _("Shown on the group's card in lists, cut to 16:9.")
        self.fields["banner"].help_text = _("Shown across the top of the group's page, cut to 16:5.")

    def clean_slug(self):
        from civitas.spaces.services import unique_group_slug

        slug = self.cleaned_data.get("slug")
        taken = ProcessGroup.objects.filter(organization=self.organization, slug=slug).exclude(
            pk=self.instance.pk
        )
        if slug and taken.exists():
            raise forms.ValidationError(_("Another group already uses this short name."))
        return slug or unique_group_slug(
            self.organization, self.cleaned_data.get("title") or "", self.instance.pk
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must come after the start date."))
        return cleaned


class CopySpaceForm(forms.Form):
    title = forms.CharField(label=_("Title of the copy"), max_length=200)
    shift_days = forms.IntegerField(
        label=_("Shift every date by this many days"),
        initial=0,
        min_value=-3650,
        max_value=3650,
        help_text=_("E.g. 365 to run the same process next year; 0 keeps the dates."),
    )


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["title", "description", "start_date", "end_date"]
        widgets = {
            "description": RichTextWidget(attrs={"rows": 4}, uploads=True),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must come after the start date."))
        return cleaned


class RoleForm(forms.Form):
    person = forms.CharField(label=_("Nickname or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.Role.choices)
    title = forms.CharField(
        label=_("Public title"),
        max_length=120,
        required=False,
        help_text=_("For assembly members, e.g. “Chair”."),
    )
    is_public = forms.BooleanField(label=_("Show on the space page"), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_person(self):
        from django.contrib.auth import get_user_model

        typed = self.cleaned_data["person"].strip().lstrip("@")
        people = get_user_model().objects.filter(
            organization=self.organization, is_active=True, deleted_at__isnull=True
        )
        person = people.filter(email__iexact=typed).first() or people.filter(nickname__iexact=typed).first()
        if person is None:
            raise forms.ValidationError(
                _("No account of this organization has this nickname or e-mail address.")
            )
        return person


class NewComponentForm(forms.Form):
    manifest_name = forms.ChoiceField(label=_("Type"))
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, **kwargs):
        from civitas.components.manifest import registry

        super().__init__(*args, **kwargs)
        self.fields["manifest_name"].choices = registry.choices()


class ComponentNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
