from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import AltTextField, ReencodedImageField
from civitas.organizations.models import Organization


class Tag(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("organization", "name", name="tag_unique_per_organization")]

    def __str__(self) -> str:
        return self.name


class ProcessGroup(models.Model):
    """Several processes shown together, e.g. one participatory budget run in twelve districts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="process_groups")
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    image = ReencodedImageField(
        _("card image"), upload_to="groups", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = AltTextField()
    banner = ReencodedImageField(
        _("banner image"), upload_to="groups", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    banner_alt = AltTextField()
    organiser = models.CharField(_("who organises"), max_length=200, blank=True)
    scope = models.CharField(_("scope"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("organization", "slug", name="process_group_slug_unique_per_organization")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)


class SpaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def listed_for(self, user):
        """Spaces a visitor may see in lists: same rule as the ``spaces.view_space`` permission."""
        from civitas.spaces.access import visible_spaces

        return visible_spaces(self, user)


class Space(models.Model):
    """A participatory space: a process made of phases, or a standing assembly."""

    class Kind(models.TextChoices):
        PROCESS = "process", _("Participatory process")
        ASSEMBLY = "assembly", _("Assembly")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: everyone sees it and can take part")
        TRANSPARENT = "transparent", _("Transparent: everyone sees it, only members take part")
        PRIVATE = "private", _("Private: only members see it and take part")

    class PhaseSwitching(models.TextChoices):
        MANUAL = "manual", _("An admin switches phases")
        BY_DATE = "by_date", _("Phases switch by themselves on their dates")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="spaces")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROCESS)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The picture of the space's card in lists; the banner crowns the space's own page.
    image = ReencodedImageField(
        _("card image"), upload_to="spaces", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = AltTextField()
    banner = ReencodedImageField(
        _("banner image"), upload_to="spaces", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    banner_alt = AltTextField()
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="spaces", verbose_name=_("tags"))
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    published_at = models.DateTimeField(null=True, blank=True)
    promoted = models.BooleanField(_("promoted on the home page"), default=False)
    position = models.PositiveIntegerField(default=0)
    # Processes
    phase_switching = models.CharField(
        _("phase switching"), max_length=20, choices=PhaseSwitching.choices, default=PhaseSwitching.MANUAL
    )
    active_phase = models.ForeignKey(
        "Phase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("active phase"),
    )
    group = models.ForeignKey(
        ProcessGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="processes",
        verbose_name=_("process group"),
    )
    # Assemblies
    purpose = models.TextField(_("purpose"), blank=True)
    composition = models.TextField(_("composition"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent assembly"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-start_date", "pk"]
        constraints = [
            models.UniqueConstraint("organization", "slug", name="space_slug_unique_per_organization")
        ]
        indexes = [models.Index(fields=["organization", "published_at", "position"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        self.purpose = sanitize_html(self.purpose)
        self.composition = sanitize_html(self.composition)
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_process(self) -> bool:
        return self.kind == self.Kind.PROCESS

    def period(self, today=None) -> str:
        """'upcoming', 'active' or 'past', from the space's dates."""
        today = today or timezone.localdate()
        if self.start_date and self.start_date > today:
            return "upcoming"
        if self.end_date and self.end_date < today:
            return "past"
        return "active"


class Phase(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="phases")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="phase_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)


class SpaceRole(models.Model):
    """A person's role in one space. The same person may hold several roles."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Space admin")
        MODERATOR = "moderator", _("Moderator")
        EVALUATOR = "evaluator", _("Evaluator")
        MEMBER = "member", _("Member")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("public title"), max_length=120, blank=True, help_text=_("For assembly members, e.g. “Chair”.")
    )
    is_public = models.BooleanField(_("shown on the space page"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint("space", "user", "role", name="one_role_of_each_kind_per_space")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
