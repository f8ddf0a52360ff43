"""The debates component's share of a user's GDPR export: the debates the person opened."""

from civitas.components.debates.models import Debate
from civitas.core.gdpr import iso, register_export
from civitas.core.richtext import plain_text


@register_export("debates", covers=[(Debate, "author")])
def export_debates(user) -> list[dict]:
    debates = (
        Debate.objects.filter(author=user).select_related("component__space").order_by("created_at", "pk")
    )
    return [
        {
            "space": debate.component.space.title,
            "debate_id": debate.pk,
            "title": debate.title,
            "url": debate.get_absolute_url(),
            "description": plain_text(debate.description),
            "html": debate.description,
            "created_at": iso(debate.created_at),
            "published_at": iso(debate.published_at),
            "closed_at": iso(debate.closed_at),
            "hidden_by_moderation_at": iso(debate.hidden_at),
        }
        for debate in debates
    ]
