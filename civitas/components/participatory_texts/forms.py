from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.participatory_texts.models import Article, Section
from civitas.editor.widgets import RichTextWidget


class ImportForm(forms.Form):
    document = forms.FileField(
        label=_("Document"),
        help_text=_(
            "Markdown (.md), Word (.docx) or OpenDocument text (.odt). Headings that read "
            "“Article 1”, “Article 2”… open articles and the other headings open sections; "
            "without such headings, each paragraph, list or table becomes an article."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,.docx,.odt"}),
    )


class ArticleForm(forms.ModelForm):
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        required=False,
        label=_("Section"),
        empty_label=_("(before the first section)"),
    )

    class Meta:
        model = Article
        fields = ["section", "title", "body"]
        widgets = {"body": RichTextWidget(attrs={"rows": 10}, uploads=True)}

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(component=component).order_by(
            "position", "pk"
        )
        self.fields["title"].help_text = _("Optional: the heading shows “Article N — title”.")


class SectionForm(forms.ModelForm):
    level = forms.TypedChoiceField(
        label=_("Level of the heading"),
        coerce=int,
        choices=[(1, _("Part")), (2, _("Chapter")), (3, _("Sub-section"))],
    )

    class Meta:
        model = Section
        fields = ["title", "level"]


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Name of this version"),
        max_length=200,
        required=False,
        help_text=_("For example “after the consultation” (the number is added)."),
    )
