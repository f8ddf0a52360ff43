"""Mount every registered component type's URLs; core code never names a type."""

from django.urls import include, path

from civitas.components.manifest import registry


def public_patterns():
    return [
        path(f"spaces/<slug:space_slug>/{manifest.name}/<int:component_id>/", include(manifest.public_urls))
        for manifest in registry.all()
        if manifest.public_urls
    ]


def admin_patterns():
    return [
        path(
            f"spaces/<int:space_id>/components/<int:component_id>/{manifest.name}/",
            include(manifest.admin_urls),
        )
        for manifest in registry.all()
        if manifest.admin_urls
    ]
