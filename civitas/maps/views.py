from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civitas.accounts import throttle
from civitas.maps import services
from civitas.maps.geocoding import GeocoderUnavailable


@require_GET
@never_cache
@login_required
def suggest(request):
    """Addresses matching ``q``, from the organization's geocoder, for the address fields.

    For logged-in people of the organization only (the forms that have an address need an
    account), and counted: the geocoder is a shared public service.
    """
    verdict = throttle.record(request, "geocode", f"user-{request.user.pk}")
    if verdict.limited:
        message = _("Too many searches: wait a few minutes, then type again.")
        response = JsonResponse({"error": message}, status=429)
        response["Retry-After"] = str(verdict.retry_after_seconds)
        return response
    query = request.GET.get("q", "")
    try:
        places = services.find_places(request.organization, query)
    except GeocoderUnavailable:
        message = _(
            "The address search does not answer at the moment. Type the whole address: "
            "it will be saved, and placed on the map when the search works again."
        )
        return JsonResponse({"error": message}, status=503)
    return JsonResponse(
        {
            "places": [
                {
                    "label": place.label,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                    "check": services.place_check(
                        request.organization, place.label, place.latitude, place.longitude
                    ),
                }
                for place in places
            ]
        }
    )
