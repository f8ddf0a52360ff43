"""An address field whose coordinates are found when the form is saved.

With JavaScript, the person picks one of the suggestions (``address.js`` asks the
``maps:suggest`` view); the chosen place's coordinates come back in hidden fields with a
signature, and are kept as they are. Otherwise, or when the text was changed after
picking, the server asks the geocoder for the typed address: not found is an error on
the field; a geocoder that does not answer lets the form save without coordinates, and
``announce_location`` tells the person.
"""

import math

from django import forms
from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civitas.maps import services
from civitas.maps.geocoding import GeocoderUnavailable


class _Coordinate(forms.FloatField):
    widget = forms.HiddenInput

    def __init__(self, bound: float, **kwargs):
        super().__init__(required=False, **kwargs)
        self.bound = bound

    def clean(self, value):
        try:
            number = super().clean(value)
        except forms.ValidationError:
            return None  # a hidden field: a bad value only means "geocode the text"
        if number is None or not math.isfinite(number) or abs(number) > self.bound:
            return None
        return number


class LocatedFormMixin(forms.Form):
    """Mixed into a form with an ``address`` field; needs ``organization`` set before cleaning."""

    address_latitude = _Coordinate(90)
    address_longitude = _Coordinate(180)
    address_check = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    organization = None
    geocoder_failed = False

    class Media:
        css = {"all": ["maps/maps.css"]}
        js = [forms.Script("maps/address.js", defer=True)]

    def setup_address(self, organization) -> None:
        self.organization = organization
        field = self.fields["address"]
        field.widget.attrs.update(
            {
                "data-address-suggest": reverse("maps:suggest"),
                "autocomplete": "off",
                "data-suggestions-label": gettext("Suggested addresses"),
                "data-count-label": gettext("Suggestions: %s. Use the up and down arrows, then Enter."),
                "data-none-label": gettext("No address found yet: check the spelling or add the town."),
                "data-error-label": gettext("The address search does not answer: type the whole address."),
                "data-chosen-label": gettext("Address chosen."),
            }
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and instance.latitude is not None:
            self.initial.update(
                {
                    "address_latitude": instance.latitude,
                    "address_longitude": instance.longitude,
                    "address_check": services.place_check(
                        organization, instance.address, instance.latitude, instance.longitude
                    ),
                }
            )

    def locate(self) -> tuple[float | None, float | None]:
        """Coordinates of the cleaned address; adds an error on ``address`` when not found."""
        address = (self.cleaned_data.get("address") or "").strip()
        if not address:
            return None, None
        latitude = self.cleaned_data.get("address_latitude")
        longitude = self.cleaned_data.get("address_longitude")
        check = self.cleaned_data.get("address_check") or ""
        if (
            latitude is not None
            and longitude is not None
            and services.is_checked_place(self.organization, address, latitude, longitude, check)
        ):
            return latitude, longitude
        try:
            places = services.find_places(self.organization, address, limit=1)
        except GeocoderUnavailable:
            self.geocoder_failed = True
            return None, None
        if not places:
            self.add_error(
                "address",
                _(
                    "This address was not found. Check its spelling, add the town, "
                    "choose one of the suggestions, or leave the field empty."
                ),
            )
            return None, None
        return places[0].latitude, places[0].longitude

    def clean(self):
        data = super().clean()
        if "address" in data and not self.has_error("address"):
            self.coordinates = self.locate()
            instance = getattr(self, "instance", None)
            if instance is not None:
                instance.latitude, instance.longitude = self.coordinates
        return data

    coordinates: tuple[float | None, float | None] = (None, None)

    def announce_location(self, request) -> None:
        """After saving: say so when the address could not be placed on the map."""
        if self.geocoder_failed:
            messages.warning(
                request,
                gettext(
                    "The address search service did not answer, so this address is not on the map yet. "
                    "Save again later to place it."
                ),
            )
