from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.images import validate_uploaded_image
from civitas.core.uploads import ReencodedImageField
from civitas.maps import geocoding, tiles
from civitas.organizations.hosts import is_valid_host, normalize_host

LOCALE_CHOICES = [("fr", _("French")), ("en", _("English"))]
SUPPORTED_LOCALES = {code for code, _label in LOCALE_CHOICES}

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))


def validate_host(value: str) -> None:
    if not is_valid_host(normalize_host(value)):
        raise ValidationError(_("“%(host)s” is not a valid host name."), params={"host": value})


def validate_locales(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one language."))
    unknown = [code for code in value if code not in SUPPORTED_LOCALES]
    if unknown:
        raise ValidationError(
            _("Unsupported language: %(codes)s."), params={"codes": ", ".join(map(str, unknown))}
        )


def validate_domain_list(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of domains."))
    bad = [
        domain for domain in value if not isinstance(domain, str) or not is_valid_host(normalize_host(domain))
    ]
    if bad:
        raise ValidationError(
            _("Not a valid domain: %(domains)s."), params={"domains": ", ".join(map(str, bad))}
        )


def validate_tile_template(value: str) -> None:
    try:
        tiles.check_template(value)
    except tiles.BadTemplate:
        raise ValidationError(
            _(
                "Give the address of the tiles as https://host/{z}/{x}/{y}.png: "
                "{z}, {x} and {y} stand for the zoom level and the tile, {s} for a subdomain."
            )
        ) from None


GEOCODER_CHOICES = [
    (geocoding.BAN, _("Base Adresse Nationale (France)")),
    (geocoding.NOMINATIM, _("Nominatim (OpenStreetMap)")),
    (geocoding.PHOTON, _("Photon (OpenStreetMap)")),
]


class Organization(models.Model):
    """One tenant of the installation: a town, a metropolis, a university…"""

    name = models.CharField(_("name"), max_length=200)
    host = models.CharField(_("main host"), max_length=253, unique=True, validators=[validate_host])
    default_locale = models.CharField(
        _("default language"), max_length=5, choices=LOCALE_CHOICES, default="fr"
    )
    available_locales = models.JSONField(
        _("available languages"), default=list, validators=[validate_locales]
    )
    logo = ReencodedImageField(
        _("logo"),
        upload_to="organizations/logos",
        blank=True,
        db_index=True,
        validators=[validate_uploaded_image],
    )
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#1d4f91", validators=[hex_colour]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#e8a33d", validators=[hex_colour]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    signup_open = models.BooleanField(_("sign-up open"), default=True)
    external_domain_allowlist = models.JSONField(
        _("trusted external domains"),
        default=list,
        blank=True,
        validators=[validate_domain_list],
        help_text=_("Links to these domains skip the outbound-link warning page."),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("reports that hide a contribution"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A contribution is hidden automatically once this many people have reported it."),
    )
    require_admin_two_factor = models.BooleanField(
        _("require two-factor authentication of admins"), default=False
    )
    map_tiles = models.CharField(
        _("map tiles"),
        max_length=500,
        default=tiles.OSM_TILES,
        validators=[validate_tile_template],
        help_text=_(
            "Address of the map images, {z}/{x}/{y} standing for the zoom level and the tile. "
            "OpenStreetMap's server suits a few visitors; a busy site should use its own or a provider's."
        ),
    )
    map_attribution = models.CharField(
        _("map attribution"),
        max_length=200,
        default=tiles.OSM_ATTRIBUTION,
        help_text=_("Shown on every map, as the tiles' licence requires."),
    )
    map_attribution_url = models.URLField(
        _("address of the map's licence"), max_length=500, default=tiles.OSM_COPYRIGHT, blank=True
    )
    geocoder = models.CharField(
        _("address search"), max_length=20, choices=GEOCODER_CHOICES, default=geocoding.BAN
    )
    geocoder_url = models.URLField(
        _("address search server"),
        max_length=500,
        blank=True,
        help_text=_(
            "Leave empty to use the service's public server. The public Nominatim server forbids "
            "suggestions as people type: choose it only with a server of your own."
        ),
    )
    # A metropolis's portal lists and searches its communes' public spaces; each commune
    # keeps its own host, admins and data. One level only, so that which portal shows a
    # space never depends on a chain of parents.
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organization"),
        help_text=_("The metropolis whose portal lists this commune's public spaces."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.host = normalize_host(self.host)
        if not self.available_locales:
            self.available_locales = [self.default_locale]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.host = normalize_host(self.host)
        self.available_locales = [
            code for code, _label in LOCALE_CHOICES if code in (self.available_locales or [])
        ]
        if self.default_locale not in self.available_locales:
            raise ValidationError(
                {"default_locale": _("The default language must be one of the available ones.")}
            )
        self.external_domain_allowlist = sorted(
            {normalize_host(d) for d in self.external_domain_allowlist or []}
        )
        self._clean_parent()
        clash = SecondaryHost.objects.filter(host=self.host).exclude(organization_id=self.pk)
        if clash.exists():
            raise ValidationError({"host": _("This host already belongs to another organization.")})

    def _clean_parent(self) -> None:
        if self.parent_id is None:
            return
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organization cannot be its own parent.")})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": _("%(name)s is itself a commune of another organization.") % {"name": self.parent}}
            )
        if self.pk is not None and Organization.objects.filter(parent_id=self.pk).exists():
            raise ValidationError({"parent": _("This organization has communes of its own.")})

    @property
    def map_tile_origins(self) -> list[str]:
        """Where the maps' images come from: what the pages' Content-Security-Policy allows."""
        try:
            tiles.check_template(self.map_tiles)
        except tiles.BadTemplate:
            return []
        return tiles.tile_origins(self.map_tiles)


class SecondaryHost(models.Model):
    """Another name of an organization; requests to it are redirected to the main host."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="secondary_hosts")
    host = models.CharField(_("host"), max_length=253, unique=True, validators=[validate_host])

    class Meta:
        ordering = ["host"]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs):
        self.host = normalize_host(self.host)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.host = normalize_host(self.host)
        if Organization.objects.filter(host=self.host).exists():
            raise ValidationError({"host": _("This host already belongs to another organization.")})
