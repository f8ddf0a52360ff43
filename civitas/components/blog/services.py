"""News posts: written by the space's admins; endorsed by participants when the phase allows."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import verification_refusal
from civitas.components.blog.models import Endorsement, Post

# What the action log keeps of a post (the counters change without an admin).
LOGGED_FIELDS = ["title", "body", "image", "image_alt", "signed_by", "published_at"]


class BlogError(Exception):
    pass


@transaction.atomic
def do_save_post(*, form, user, component) -> Post:
    before = snapshot(form.instance, LOGGED_FIELDS) if form.instance.pk else None
    post = form.save(commit=False)
    post.component = component
    post.save()
    log_action(
        organization=component.space.organization,
        user=user,
        action="blog_post.update" if before else "blog_post.create",
        target=post,
        space=component.space,
        before=before,
        after=snapshot(post, LOGGED_FIELDS),
    )
    if post.is_scheduled:
        from civitas.components.blog.tasks import index_post_when_due

        # Found by search from its date on (it is indexed as hidden until then).
        transaction.on_commit(lambda: index_post_when_due.schedule(args=(post.pk,), eta=post.published_at))
    return post


@transaction.atomic
def do_delete_post(*, post, user) -> None:
    component = post.component
    log_action(
        organization=component.space.organization,
        user=user,
        action="blog_post.delete",
        target=post,
        space=component.space,
        before=snapshot(post, LOGGED_FIELDS),
    )
    image = post.image
    post.delete()
    if image:
        # The file and its thumbnails go once the row is gone for good.
        transaction.on_commit(lambda: image.delete(save=False))


def check_can_endorse(*, post, user) -> None:
    component = post.component
    if not post.is_published:
        raise BlogError(_("This post cannot be endorsed."))
    if not user.has_perm("blog.endorse", component):
        raise BlogError(
            verification_refusal(user, component, "endorse") or _("Endorsements are closed at the moment.")
        )


@transaction.atomic
def do_endorse(*, post, user) -> Endorsement:
    """One endorsement per person: the unique constraint decides between two simultaneous
    requests, and the counter moves only for the row that was really inserted."""
    check_can_endorse(post=post, user=user)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(post=post, user=user)
    except IntegrityError as error:
        raise BlogError(_("You already endorse this post.")) from error
    Post.objects.filter(pk=post.pk).update(endorsement_count=F("endorsement_count") + 1)
    return endorsement


@transaction.atomic
def do_withdraw_endorsement(*, post, user) -> None:
    """Withdrawing is allowed whenever one endorses, so a switch turned off keeps no one bound."""
    deleted, _by_model = Endorsement.objects.filter(post=post, user=user).delete()
    if not deleted:
        raise BlogError(_("You do not endorse this post."))
    Post.objects.filter(pk=post.pk).update(endorsement_count=F("endorsement_count") - 1)
