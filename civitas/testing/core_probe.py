"""Run the core on the installation in the environment and print one JSON line of what it did.

    DJANGO_SETTINGS_MODULE=civitas.testing.settings_without CIVITAS_WITHOUT_APPS=… \\
        python -m civitas.testing.core_probe [--migrate]

Used by ``civitas/core/tests/test_component_removal.py``: ``manage.py check``, the demo seed
(twice: the second run must change nothing), then the home page, each space, search,
statistics, the open-data archive and the API, as a visitor, with their status codes.
"""

import json
import sys


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from civitas.components.manifest import registry
    from civitas.components.models import Component
    from civitas.opendata import export
    from civitas.organizations.models import Organization

    if "--migrate" in sys.argv:
        call_command("migrate", verbosity=0, interactive=False)
    call_command("check", fail_level="ERROR", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    counted = Component.objects.count()
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    setup_test_environment()
    organization = Organization.objects.get(host="localhost")
    archive = export.rebuild(organization)
    client = Client(HTTP_HOST="localhost")
    urls = ["/", "/search/?q=quartier", "/stats/", "/open-data/", "/api/v1/", "/api/v1/openapi.json"]
    urls += [f"/spaces/{slug}/" for slug in organization.spaces.values_list("slug", flat=True)]
    urls += [
        component.get_absolute_url()
        for component in Component.objects.filter(space__organization=organization)
    ]
    statuses = {url: client.get(url).status_code for url in urls}
    print(
        json.dumps(
            {
                "registered": sorted(manifest.name for manifest in registry.all()),
                "seeded": sorted(set(Component.objects.values_list("manifest_name", flat=True))),
                "components_after_first_seed": counted,
                "components_after_second_seed": Component.objects.count(),
                "archive": bool(archive),
                "statuses": statuses,
            }
        )
    )


if __name__ == "__main__":
    main()
