from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.filter
def report_url(resource) -> str:
    """The address of the report form of any reportable resource (or account)."""
    content_type = ContentType.objects.get_for_model(resource)
    return reverse("moderation:report", kwargs={"content_type_id": content_type.pk, "object_id": resource.pk})
