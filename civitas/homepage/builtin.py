"""The kinds of block that need no particular component: registered by the home page itself."""

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.homepage.forms import BlockForm, FreeTextForm, HeroForm, SpacesForm
from civitas.homepage.registry import BlockType, register_block_type


def visible_spaces(request):
    """The organization's spaces the visitor may see (one subquery, no query of its own)."""
    from civitas.spaces.models import Space

    return Space.objects.filter(organization=request.organization).listed_for(request.user)


def hero_context(request, block) -> dict:
    return {
        "show_signup": not request.user.is_authenticated and request.organization.signup_open,
    }


def spaces_context(request, block) -> dict | None:
    spaces = visible_spaces(request).select_related("active_phase")
    if block.settings.get("selection") == "promoted":
        spaces = spaces.filter(promoted=True).order_by("position", "pk")
    else:
        today = timezone.localdate()
        spaces = spaces.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=today),
            Q(end_date__isnull=True) | Q(end_date__gte=today),
        ).order_by("-promoted", "position", "pk")
    shown = list(spaces[: int(block.settings.get("count", 6))])
    return {"spaces": shown} if shown else None


# Figures about the spaces themselves; the participation totals come from the statistics registry.
SPACE_FIGURES = {
    "processes": _("Participatory processes"),
    "assemblies": _("Assemblies"),
    "participants": _("People who took part"),
}
DEFAULT_FIGURES = ["processes", "assemblies", "participants"]


def _figure_choices():
    from civitas.stats.registry import all_participations

    return [*SPACE_FIGURES.items(), *((action.key, action.label) for action in all_participations())]


class KeyFiguresForm(BlockForm):
    figures = forms.TypedMultipleChoiceField(
        label=_("Figures shown"), widget=forms.CheckboxSelectMultiple, choices=_figure_choices
    )
    settings_fields = ("figures",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("figures", DEFAULT_FIGURES)


def key_figures_context(request, block) -> dict | None:
    from civitas.spaces.models import Space
    from civitas.stats.services import summary

    wanted = block.settings.get("figures") or DEFAULT_FIGURES
    counts = visible_spaces(request).aggregate(
        processes=Count("pk", filter=Q(kind=Space.Kind.PROCESS)),
        assemblies=Count("pk", filter=Q(kind=Space.Kind.ASSEMBLY)),
    )
    # People who took part in something, as on the statistics page: not every account
    # (admins, dormant accounts and spam would swell it). Cached a few minutes.
    statistics = summary(request.organization)
    counts["participants"] = statistics["participants"]
    labels = dict(SPACE_FIGURES)
    for key, label, count in statistics["totals"]:
        counts[key] = count
        labels[key] = label
    figures = [(key, labels[key], counts[key]) for key in wanted if key in counts]
    return {"figures": figures} if figures else None


def free_text_context(request, block) -> dict | None:
    return {"body": block.settings["body"]} if block.settings.get("body") else None


class HighlightForm(BlockForm):
    component = forms.TypedChoiceField(label=_("Vote or consultation highlighted"), coerce=int)
    text = forms.CharField(
        label=_("Why take part"), max_length=400, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    button_label = forms.CharField(
        label=_("Button text"), max_length=80, required=False, help_text=_("Leave empty for “Take part”.")
    )
    settings_fields = ("component", "text", "button_label")

    def __init__(self, *args, **kwargs):
        from civitas.components.models import Component

        super().__init__(*args, **kwargs)
        components = (
            Component.objects.published()
            .filter(space__organization=self.organization, space__published_at__isnull=False)
            .select_related("space")
            .order_by("space__position", "space__pk", "position", "pk")
        )
        self.fields["component"].choices = [
            (component.pk, f"{component.space.title} — {component.name}") for component in components
        ]
        self.fields["component"].help_text = _(
            "A published vote, survey, budget or any other participation of a published space."
        )


def highlight_context(request, block) -> dict | None:
    from civitas.components.models import Component

    component = (
        Component.objects.published()
        .filter(pk=block.settings.get("component"), space__in=visible_spaces(request))
        .select_related("space__active_phase")
        .first()
    )
    if component is None or component.manifest is None:
        return None
    return {"component": component, "kind_label": component.manifest.verbose_name}


def register_builtin_block_types() -> None:
    register_block_type(
        BlockType(
            name="hero",
            label=_("Welcome banner"),
            description=_("A large title with a short text, a button and an image."),
            template="homepage/blocks/hero.html",
            context=hero_context,
            form=HeroForm,
            default_position=0,
            position=0,
        )
    )
    register_block_type(
        BlockType(
            name="open_spaces",
            label=_("Spaces open now"),
            description=_("Cards of the spaces under way, or of the promoted ones."),
            heading=_("Taking part now"),
            template="homepage/blocks/spaces.html",
            context=spaces_context,
            form=SpacesForm,
            default_position=10,
            position=10,
        )
    )
    register_block_type(
        BlockType(
            name="highlight",
            label=_("Highlighted vote or consultation"),
            description=_("One participation put forward, with a button to take part."),
            heading=_("Have your say"),
            template="homepage/blocks/highlight.html",
            context=highlight_context,
            form=HighlightForm,
            position=20,
        )
    )
    register_block_type(
        BlockType(
            name="key_figures",
            label=_("Key figures"),
            description=_("Numbers of spaces and of people who took part."),
            heading=_("In figures"),
            template="homepage/blocks/key_figures.html",
            context=key_figures_context,
            form=KeyFiguresForm,
            default_position=90,
            position=70,
        )
    )
    register_block_type(
        BlockType(
            name="free_text",
            label=_("Free text"),
            description=_("Text with headings, lists and links, written by the organization."),
            template="homepage/blocks/free_text.html",
            context=free_text_context,
            form=FreeTextForm,
            rich_text=("body",),
            position=80,
        )
    )
