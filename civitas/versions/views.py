"""The history of one object: its versions, and the words that changed between any two."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from civitas.versions import registry
from civitas.versions.models import Version
from civitas.versions.services import field_differences


def _visible_object(request, key: str, object_id: int):
    """The object when it is this organization's and the visitor may read it; 404 otherwise
    (the same answer for "does not exist" and "not yours", so nothing is told apart)."""
    spec = registry.for_key(key)
    if spec is None:
        raise Http404
    instance = spec.model._default_manager.filter(pk=object_id).first()
    if instance is None or spec.organization_of(instance) != request.organization:
        raise Http404
    if not spec.can_view(request.user, instance):
        raise Http404
    return spec, instance


def _chosen(versions: list[Version], value: str | None, default: Version) -> Version:
    for version in versions:
        if str(version.number) == value:
            return version
    return default


def history(request, key: str, object_id: int):
    spec, instance = _visible_object(request, key, object_id)
    content_type = ContentType.objects.get_for_model(spec.model, for_concrete_model=False)
    versions = list(
        Version.objects.filter(
            organization=request.organization, content_type=content_type, object_id=instance.pk
        )
        .select_related("author")
        .order_by("number")
    )
    context = {"spec": spec, "object": instance, "versions": versions}
    if versions:
        newest = versions[-1]
        before_default = versions[-2] if len(versions) > 1 else newest
        before = _chosen(versions, request.GET.get("from"), before_default)
        after = _chosen(versions, request.GET.get("to"), newest)
        if before.number > after.number:
            before, after = after, before
        context.update(
            before=before,
            after=after,
            differences=field_differences(spec, before.fields, after.fields),
            compared_alone=before.number == after.number,
        )
    context["model_name"] = _(str(spec.model._meta.verbose_name))
    return render(request, "versions/history.html", context)
