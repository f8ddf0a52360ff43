"""Articles of a participatory text take amendments (civitas.amendments).

The space's admins decide, as the text is theirs; an accepted amendment changes the
article's working text, which residents read once the admins publish the next version
of the text (``services.do_publish_version``). A rejected amendment cannot become content
of its own: an article exists only inside its text.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from civitas.spaces.access import ADMIN


def deciders_of(article) -> list[int]:
    """The space's admins and the organization's admins."""
    space = article.component.space
    return list(
        get_user_model()
        .objects.filter(is_active=True, organization_id=space.organization_id)
        .filter(Q(is_organization_admin=True) | Q(space_roles__space=space, space_roles__role=ADMIN))
        .values_list("pk", flat=True)
        .distinct()
    )


def is_open(article) -> bool:
    """Published in a version of the text and not taken out of it since."""
    return article.published_at is not None and article.removed_at is None


def apply(article, fields: dict) -> None:
    """Write the accepted words into the working text (the amendments app records the
    version with its note naming the amendment and its amender)."""
    article.title, article.body = fields["title"], fields["body"]
    article.save(update_fields=["title", "body", "updated_at"])


def register() -> None:
    from civitas.amendments.registry import AmendmentPermissions, register_amendable
    from civitas.components.participatory_texts.models import Article

    register_amendable(
        Article,
        fields=("title", "body"),
        rich_fields=("body",),
        component_of=lambda article: article.component,
        url_of=lambda article: article.get_absolute_url(),
        can_view=lambda user, article: user.has_perm("participatory_texts.view_article", article),
        deciders_of=deciders_of,
        is_open=is_open,
        apply=apply,
        visibility_of=lambda component: component.current_settings()["amendments_visibility"],
        permissions=AmendmentPermissions(
            amend="participatory_texts.amend", react="participatory_texts.react_to_amendment", promote=None
        ),
    )
