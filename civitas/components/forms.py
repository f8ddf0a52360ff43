"""Django forms built from a settings schema, with translated error messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.schema import SchemaValidationError, SettingsSchema

ERROR_MESSAGES = {
    "required": _("This setting is required."),
    "invalid_type": _("This value has the wrong type."),
    "below_minimum": _("The minimum is %(minimum)s."),
    "above_maximum": _("The maximum is %(maximum)s."),
    "too_long": _("At most %(max_length)s characters (%(length)s given)."),
    "invalid_choice": _("“%(value)s” is not one of the choices."),
    "unknown": _("Unknown setting."),
}


def message_for(error) -> str:
    return str(ERROR_MESSAGES[error.code]) % dict(error.params)


def _field_for(setting) -> forms.Field:
    common = {"label": setting.label or setting.name, "help_text": setting.help_text, "required": False}
    if setting.type == "boolean":
        return forms.BooleanField(**common)
    if setting.type == "integer":
        return forms.CharField(widget=forms.NumberInput, **common)
    if setting.type == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    if setting.type == "choice":
        return forms.ChoiceField(choices=[("", "—"), *setting.choices], **common)
    if setting.type == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(**common)


class SchemaForm(forms.Form):
    """A form whose fields and validation come from a SettingsSchema."""

    def __init__(self, schema: SettingsSchema, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.schema = schema
        for setting in schema:
            self.fields[setting.name] = _field_for(setting)

    def clean(self):
        raw = dict(self.cleaned_data.items())
        try:
            self.typed = self.schema.clean(raw)
        except SchemaValidationError as invalid:
            for name, errors in invalid.errors.items():
                self.add_error(name if name in self.fields else None, [message_for(e) for e in errors])
        return self.cleaned_data
