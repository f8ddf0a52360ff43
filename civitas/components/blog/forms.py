from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.components.blog.models import Post
from civitas.core.image_forms import ImageAltMixin
from civitas.editor.widgets import RichTextWidget

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ORGANIZATION, GROUP = "organization", "group"


class PostForm(ImageAltMixin, forms.ModelForm):
    signature = forms.ChoiceField(
        label=_("Signed by"),
        choices=((ORGANIZATION, _("The organization")), (GROUP, _("A group of participants, named below"))),
        widget=forms.RadioSelect,
        initial=ORGANIZATION,
    )

    class Meta:
        model = Post
        fields = ["title", "body", "image", "image_alt", "signature", "signed_by", "published_at"]
        widgets = {"body": RichTextWidget(attrs={"rows": 12}, uploads=True), "published_at": DATETIME}
        labels = {"signed_by": _("Name of the group")}
        help_texts = {"signed_by": _("Shown as the post's author, e.g. “Conseil de quartier des Tilleuls”.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        )
        self.fields["image"].help_text = _(
            "Shown on the post's card, on the home page and above the text. "
            "PNG, JPEG, GIF or WebP, at most 2 MB."
        )
        self.fields["published_at"].help_text = _(
            "Leave empty to keep a draft. A date to come schedules the post: it appears nowhere before then."
        )
        if self.instance.pk:
            self.fields["signature"].initial = GROUP if self.instance.signed_by else ORGANIZATION
        elif not self.is_bound:
            # A new post comes out now unless the admin picks another date (or none: a draft).
            self.initial["published_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError(_("Give the post a title of at least 3 characters."))
        return title

    def clean(self):
        data = super().clean()
        name = " ".join((data.get("signed_by") or "").split())
        if data.get("signature") == GROUP and not name:
            self.add_error("signed_by", _("Name the group that signs the post."))
        data["signed_by"] = name if data.get("signature") == GROUP else ""
        return data
