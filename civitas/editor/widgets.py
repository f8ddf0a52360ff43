"""The rich-text widget: one textarea that becomes a visual editor (Trix) in the browser.

Every form field whose model keeps sanitized HTML uses ``RichTextWidget`` (a test walks all
forms to check it). The page gets the editor's script from the widget itself, so a template
needs nothing more than the field; without JavaScript the textarea stays and posts HTML or
plain text, sanitized on the server like anything the editor sends.

``RichTextWidget(uploads=True)`` is for the back-office: its editor offers to insert pictures,
uploaded to ``editor:upload_image`` (which checks again who may upload).
"""

import json

from django import forms
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civitas.core.images import MAX_IMAGE_BYTES

# Trix's own labels (Trix.config.lang) and ours, from the catalogue.
EDITOR_LANG = {
    "attachFiles": _("Insert a picture"),
    "bold": _("Bold"),
    "bullets": _("Bulleted list"),
    "byte": _("byte"),
    "bytes": _("bytes"),
    "captionPlaceholder": _("Add a caption…"),
    "code": _("Code"),
    "heading1": _("Heading"),
    "indent": _("Indent more"),
    "italic": _("Italic"),
    "link": _("Link"),
    "numbers": _("Numbered list"),
    "outdent": _("Indent less"),
    "quote": _("Quote"),
    "redo": _("Redo"),
    "remove": _("Remove"),
    "strike": _("Strikethrough"),
    "undo": _("Undo"),
    "unlink": _("Remove the link"),
    "url": _("Web address"),
    "urlPlaceholder": _("Type a web address…"),
    "GB": _("GB"),
    "KB": _("KB"),
    "MB": _("MB"),
    "PB": _("PB"),
    "TB": _("TB"),
    "civitasToolbar": _("Formatting"),
    "civitasKeyboardHint": _("Alt+F10 leads to the formatting buttons, Escape back to the text."),
    "civitasUploaded": _("The picture is in the text."),
    "civitasUploadFailed": _("The picture could not be added."),
    "civitasImagesOnly": _("Only pictures can be added: PNG, JPEG, GIF or WebP."),
    "civitasTooLarge": _("This picture is too large: 2 MB at most."),
}


def editor_lang() -> str:
    return json.dumps({key: str(value) for key, value in EDITOR_LANG.items()}, ensure_ascii=False)


class RichTextWidget(forms.Textarea):
    template_name = "editor/richtext.html"

    def __init__(self, attrs=None, *, uploads: bool = False):
        super().__init__({"rows": 8, **(attrs or {})})
        self.uploads = uploads

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-richtext"] = ""
        if self.uploads:
            widget_attrs["data-upload-url"] = reverse("editor:upload_image")
        context["editor"] = editor_assets()
        return context


def editor_assets() -> dict:
    """What the editor's script tag carries: where Trix is, and the labels in the page's language."""
    return {
        "script": static("editor/editor.js"),
        "trix_script": static("vendor/trix/dist/trix.umd.min.js"),
        "trix_style": static("vendor/trix/dist/trix.css"),
        "editor_style": static("editor/editor.css"),
        "lang": editor_lang(),
        "max_bytes": MAX_IMAGE_BYTES,
    }
