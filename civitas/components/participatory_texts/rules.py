"""Who may read a participatory text's articles (and so their comments and history)."""

import rules


@rules.predicate
def article_is_published(user, article) -> bool:
    return article.published_at is not None


@rules.predicate
def may_view_its_component(user, article) -> bool:
    return user.has_perm("components.view_component", article.component)


@rules.predicate
def administers_its_space(user, article) -> bool:
    return user.has_perm("spaces.admin_space", article.component.space)


# Residents read what a published version of the text holds; the space's admins also read
# the working text's history before its first publication.
rules.add_perm(
    "participatory_texts.view_article",
    (may_view_its_component & article_is_published) | administers_its_space,
)
