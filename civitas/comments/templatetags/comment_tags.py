from django import template
from django.utils.safestring import mark_safe

from civitas.comments.services import link_mentions, mention_profiles
from civitas.comments.threads import build_thread
from civitas.core.links import sanitize_user_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, resource):
    """The page of comments of ``resource`` the reader asked for, or None if they may not see it."""
    request = context.get("request")
    if request is None or resource is None:
        return None
    return build_thread(request, resource)


@register.filter
def comment_html(comment, organization):
    """A comment's text as shown: sanitized again, outside links through the warning page,
    @mentions of members linked to their profiles (see ``civitas_safety.user_html``).

    Pages of comments come with ``mention_profiles`` (``threads.mark_abilities``: one query
    for the page); a comment shown on its own looks its mentions up itself.
    """
    body = sanitize_user_html(str(comment.body or ""), organization)
    profiles = getattr(comment, "mention_profiles", None)
    if profiles is None:
        profiles = mention_profiles([body], comment.organization_id)
    return mark_safe(link_mentions(body, profiles))  # noqa: S308 (sanitized just above, names escaped)
