"""The news component's share of a user's GDPR export: the posts the person endorsed.

Posts themselves name no person: they are signed by the organization or a group, and
who wrote them is in the action log (exported by the action log's own data set).
"""

from civitas.components.blog.models import Endorsement
from civitas.core.gdpr import iso, register_export


@register_export("news_endorsements", covers=[(Endorsement, "user")])
def export_endorsements(user) -> list[dict]:
    endorsements = (
        Endorsement.objects.filter(user=user)
        .select_related("post__component__space")
        .order_by("created_at", "pk")
    )
    return [
        {
            "space": endorsement.post.component.space.title,
            "post_id": endorsement.post_id,
            "post": endorsement.post.title,
            "url": endorsement.post.get_absolute_url(),
            "endorsed_at": iso(endorsement.created_at),
        }
        for endorsement in endorsements
    ]
