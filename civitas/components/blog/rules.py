"""Who may read a post: the component's readers once its date has come, the space's admins always.

Endorsing (``blog.endorse``) is the manifest's action, guarded by the per-phase switch;
commenting is the comments app's ``comments.add_comment`` on the component.
"""

import rules


@rules.predicate
def administers_the_space(user, post) -> bool:
    return user.has_perm("spaces.admin_space", post.component.space)


@rules.predicate
def may_view_the_component(user, post) -> bool:
    return user.has_perm("components.view_component", post.component)


@rules.predicate
def post_is_published(user, post) -> bool:
    return post.is_published


rules.add_perm("blog.view_post", administers_the_space | (may_view_the_component & post_is_published))
