"""Every image in a form comes with its text alternative, or is ticked as decorative.

The rule (see the README, "Images"): an image field ``<name>`` is followed by its
``<name>_alt`` text and a "decorative image" box. With an image, the text is required
unless the box is ticked; a decorative image is stored with an empty text and shown with
``alt=""``, which screen readers skip. Without an image, both are emptied.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImageAltMixin:
    """For a ModelForm: add the decorative box after each image's text alternative."""

    #: Image fields of the form that have a ``<name>_alt`` model field beside them.
    image_fields: tuple[str, ...] = ("image",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = list(self.fields)
        for name in self.image_fields:
            alt = f"{name}_alt"
            if name not in self.fields or alt not in self.fields:
                continue
            stored = getattr(self.instance, name, None)
            # Named after their image: a form with two images has no two fields of one name.
            image_name = str(self.fields[name].label).lower()
            self.fields[alt].label = _("Text alternative (%(image)s)") % {"image": image_name}
            self.fields[alt].help_text = _(
                "What the image shows, for people who cannot see it: read aloud by screen readers."
            )
            self.fields[f"{name}_decorative"] = forms.BooleanField(
                label=_("Decorative, nothing to describe (%(image)s)") % {"image": image_name},
                help_text=_("Tick only if the image adds nothing the text does not already say."),
                required=False,
                initial=bool(stored) and not getattr(self.instance, alt, ""),
            )
            order.remove(alt)
            order.insert(order.index(name) + 1, alt)
            order.insert(order.index(alt) + 1, f"{name}_decorative")
        self.order_fields(order)

    def clean(self):
        cleaned = super().clean()
        for name in self.image_fields:
            alt = f"{name}_alt"
            if name not in self.fields or alt not in self.fields:
                continue
            image = cleaned.get(name)
            text = " ".join((cleaned.get(alt) or "").split())
            # Not a model field: what it means is kept in the text (empty when decorative).
            decorative = cleaned.pop(f"{name}_decorative", False)
            if not image or decorative:
                text = ""
            elif not text and alt not in self.errors:
                self.add_error(
                    alt,
                    _("Describe what the image shows, or tick “Decorative” if it says nothing more."),
                )
            cleaned[alt] = text
        return cleaned
