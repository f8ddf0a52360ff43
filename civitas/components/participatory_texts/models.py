"""A participatory text: sections and articles that residents read, comment on and amend.

The working text (``Section``, ``Article``) is what the admins edit and what accepted
amendments change; residents read the latest published ``TextVersion``, a frozen copy of
the whole text (``VersionEntry`` rows), so that an edit in progress is never public and any
two published versions compare.
"""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.richtext import sanitize_html


class Section(models.Model):
    """A heading of the text; its articles follow it, in their own order."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="text_sections")
    title = models.CharField(_("title"), max_length=300)
    level = models.PositiveSmallIntegerField(_("level"), default=1)  # 1 (a part) to 6
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("section of the text")
        verbose_name_plural = _("sections of the text")
        ordering = ["component", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ArticleQuerySet(models.QuerySet):
    def current(self):
        """In the working text: not taken out of it."""
        return self.filter(removed_at__isnull=True)

    def in_reading_order(self):
        # Articles before the first section come first, then each section's in turn.
        return self.order_by(
            models.F("section__position").asc(nulls_first=True), "section_id", "position", "pk"
        )


class Article(models.Model):
    """One article of the working text, with its own comments and version history."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="text_articles")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("section"),
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    # First published in a version of the text: from then on it is public, commented on,
    # and taken out of the text rather than deleted (its comments and history stay).
    published_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["component", "position", "pk"]
        indexes = [models.Index(fields=["component", "removed_at"])]

    def __str__(self) -> str:
        return self.title or str(_("Article without a title"))

    def save(self, *args, **kwargs):
        self.title = " ".join(self.title.split())
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}articles/{self.pk}/"

    @property
    def is_public(self) -> bool:
        return self.published_at is not None

    def apply_change(self, fields: dict, author, note: str = ""):
        """Change the working text (title and/or body) and keep the version, atomically.

        What an admin's edit and an accepted amendment both call: ``fields`` names only
        ``title`` and ``body``; the row is locked so that two changes at once are recorded
        one after the other. Returns the recorded civitas.versions Version (None when
        nothing changed). The public text changes only when a new version is published.
        """
        from civitas.versions.services import record_version

        unknown = set(fields) - {"title", "body"}
        if unknown:
            raise ValueError(f"an article has no field(s) {sorted(unknown)} to change")
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=self.pk)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=[*fields, "updated_at"])
            for name in ("title", "body", "updated_at"):
                setattr(self, name, getattr(locked, name))
            return record_version(self, author=author, note=note)


class TextVersion(models.Model):
    """The whole text as it was published on a date: numbered from 1, never changed."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="text_versions")
    number = models.PositiveIntegerField()
    note = models.CharField(_("note"), max_length=200, blank=True)
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = _("version of the text")
        verbose_name_plural = _("versions of the text")
        ordering = ["component", "number"]
        constraints = [
            models.UniqueConstraint(fields=["component", "number"], name="one_text_version_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.component} v{self.number}"


class VersionEntry(models.Model):
    """A section heading or an article as a version of the text froze it, in reading order."""

    class Kind(models.TextChoices):
        SECTION = "section", _("section")
        ARTICLE = "article", _("article")

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(default=0)
    # The working article it froze; kept when the article is later taken out of the text.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    number = models.PositiveIntegerField(null=True, blank=True)  # "Article 12", counted in reading order
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = _("part of a version of the text")
        verbose_name_plural = _("parts of a version of the text")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="one_entry_per_position")]
        indexes = [models.Index(fields=["article", "version"])]

    def __str__(self) -> str:
        return self.title
