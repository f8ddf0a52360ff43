from django import template
from django.urls import reverse

from civitas.versions import registry

register = template.Library()


@register.simple_tag
def history_url(instance) -> str:
    """The history page of a registered object (its key is the model's label)."""
    spec = registry.for_model(type(instance))
    return reverse("versions:history", args=[spec.key, instance.pk])


@register.inclusion_tag("versions/_differences.html")
def show_differences(differences):
    """Word differences as <del>/<ins>, each announced for screen readers too."""
    return {"differences": differences}
