from django.db import models


class IndexEntry(models.Model):
    """One searchable resource: its display fields, its terms and its visibility facets.

    The facets let the search query filter in SQL what a reader may not see; results are
    checked again against the live resource before they are shown (see ``search.py``).
    ``title_terms`` and ``body_terms`` hold the output of ``text.index_terms``; the
    full-text structure on top of them is backend-specific (an FTS5 table on SQLite, a
    generated ``tsvector`` column with a GIN index on PostgreSQL), created by migration
    0002 outside Django's model state.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    resource_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    excerpt = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # Visibility facets, kept in step with the space, the resource and its author.
    space_published = models.BooleanField(default=True)
    space_private = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    author_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    date = models.DateTimeField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("resource_type", "object_id", name="search_entry_once_per_resource")
        ]
        indexes = [
            models.Index(fields=["organization", "resource_type"], name="search_entry_org_type_idx"),
            models.Index(fields=["space"], name="search_entry_space_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.object_id}"
