from django.core.management.base import CommandError

from civitas.organizations.models import Organization


def organization_from(value: str) -> Organization:
    """An organization by host name or id; a clear error otherwise."""
    found = Organization.objects.filter(host=value.lower()).first()
    if found is None and value.isdigit():
        found = Organization.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"No organization with host or id {value!r}.")
    return found
