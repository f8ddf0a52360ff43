"""Let an organization's pages load the map tiles of the server it configured, and no other."""


class TileImageSourceMiddleware:
    """Adds the tile server's origins to ``img-src``.

    Listed after ``csp.middleware.CSPMiddleware`` so that its answer passes here first.
    Only images: the geocoder is asked by the server (``civitas.maps.geocoding``), so no
    ``connect-src`` entry is needed, and scripts and styles stay the site's own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        organization = getattr(request, "organization", None)
        origins = organization.map_tile_origins if organization is not None else []
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["img-src"] = [*update.get("img-src", ()), *origins]
            response._csp_update = update
        return response
