"""Spam scoring reads what the author wrote, for every kind of contribution it scores."""

from django.db import models

from civitas.moderation.registry import all_moderatables


def test_every_scored_contribution_names_a_text_field_it_has():
    """A debate's text is its ``description``: scoring read ``body`` and saw its title only."""
    scored = [described for described in all_moderatables() if hasattr(described.model, "author")]
    assert {described.model._meta.label_lower for described in scored} >= {
        "comments.comment",
        "proposals.proposal",
        "debates.debate",
    }
    for described in scored:
        field = described.model._meta.get_field(described.text_field)  # raises for a missing field
        assert isinstance(field, models.TextField | models.CharField), described.model
