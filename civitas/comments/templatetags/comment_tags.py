from django import template

from civitas.comments.threads import build_thread

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, resource):
    """The page of comments of ``resource`` the reader asked for, or None if they may not see it."""
    request = context.get("request")
    if request is None or resource is None:
        return None
    return build_thread(request, resource)
