from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Coordinates(models.Model):
    """Where something with an address is, found when it is saved (never when a map is shown)."""

    latitude = models.FloatField(
        null=True, blank=True, editable=False, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        null=True, blank=True, editable=False, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    class Meta:
        abstract = True

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None
