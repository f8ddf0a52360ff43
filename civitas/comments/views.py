"""Comment pages and actions. Thin: permissions and changes live in ``services``.

Every page works without JavaScript; links and forms also carry ``hx-*`` attributes so
that htmx, once the site loads it, swaps fragments in place (``HX-Request`` answers).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.comments import services
from civitas.comments.forms import CommentForm
from civitas.comments.models import Alignment, Comment
from civitas.comments.registry import commentable_for
from civitas.comments.threads import (
    build_replies,
    build_thread,
    conversation_for,
    mark_abilities,
    with_reader_data,
)
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _conversation_or_404(request, resource, component=None):
    entry = commentable_for(resource)
    if entry is None:
        raise Http404
    component = component if component is not None else entry.component_of(resource)
    if request.organization is None or component.space.organization_id != request.organization.pk:
        raise Http404
    conversation = conversation_for(request.user, resource, component)
    if conversation is None:
        raise Http404
    return conversation


def _resource_or_404(request, content_type_id, object_id):
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist as error:
        raise Http404 from error
    model = content_type.model_class()
    if model is None or commentable_for(model) is None:
        raise Http404
    resource = model._default_manager.filter(pk=object_id).first()
    if resource is None:
        raise Http404
    return _conversation_or_404(request, resource)


def _comment_or_404(request, comment_id):
    """A comment of this organization that the reader may see, with its conversation."""
    comment = (
        Comment.objects.visible()
        .select_related("author", "component__space__active_phase")
        .filter(pk=comment_id, organization=request.organization)
        .first()
    )
    resource = comment.commentable if comment is not None else None
    if resource is None:
        raise Http404
    return comment, _conversation_or_404(request, resource, comment.component)


def _back_to(request, fallback: str, comment) -> str:
    """The page the form was posted from, if it is ours, at the comment; else ``fallback``."""
    candidate = request.POST.get("next", "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return f"{candidate.split('#')[0]}#comment-{comment.pk}"
    return fallback


def _form_context(conversation, *, form, action, parent=None, title="") -> dict:
    return {
        "conversation": conversation,
        "form": form,
        "action": action,
        "parent": parent,
        "title": title,
        "body": form.data.get("body", "") if form.is_bound else form.initial.get("body", ""),
        "alignment": (form.data if form.is_bound else form.initial).get("alignment") or Alignment.NEUTRAL,
        "errors": [
            *form.non_field_errors(),
            *(error for name in form.errors if name != "__all__" for error in form.errors[name]),
        ]
        if form.is_bound
        else [],
        "form_options": conversation.form_options,
    }


def comment_list(request, content_type_id, object_id):
    """A resource's comments on a page of their own; for htmx, the thread alone, or with
    ``?comments_after=`` the next top-level comments to append to the resource's page."""
    conversation = _resource_or_404(request, content_type_id, object_id)
    if _is_htmx(request) and "comments_after" in request.GET:
        thread = build_thread(request, conversation.resource, conversation=conversation, appended=True)
        return render(request, "comments/_more.html", {"thread": thread})
    template = "comments/thread.html" if _is_htmx(request) else "comments/list_page.html"
    entry = commentable_for(conversation.resource)
    context = {
        "resource": conversation.resource,
        "conversation": conversation,
        "resource_title": entry.title_of(conversation.resource),
    }
    return render(request, template, context)


def _tell_what_became_of(request, comment, *, is_reply: bool) -> None:
    """Published, or held for a moderator: spam scoring ran when the comment was committed
    (``civitas.spam.signals``), so what the author reads here is already true."""
    comment.refresh_from_db(fields=["hidden_at"])
    if comment.hidden_at is None:
        messages.success(
            request, _("Your reply is published.") if is_reply else _("Your comment is published.")
        )
    elif is_reply:
        messages.warning(
            request,
            _(
                "Your reply is not published yet: it looks like spam to our automatic check, so a "
                "moderator will read it first. You will receive an e-mail about it."
            ),
        )
    else:
        messages.warning(
            request,
            _(
                "Your comment is not published yet: it looks like spam to our automatic check, so a "
                "moderator will read it first. You will receive an e-mail about it."
            ),
        )


def _post_comment(request, conversation, *, parent, action):
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.resource_url)
    verdict = throttle.participant_verdict(request, "comment")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    if not conversation.can_add:
        if _is_htmx(request) and parent is not None:
            return _reply_refused(
                request, conversation, parent, CommentForm(request.POST), conversation.cannot_add_reason
            )
        messages.error(request, conversation.cannot_add_reason)
        return redirect(f"{conversation.resource_url}#comments")
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if parent is None and data["parent"] is not None:
                parent = Comment.objects.filter(pk=data["parent"], organization=request.organization).first()
                if parent is None:
                    raise services.CommentError(_("The comment you are replying to does not exist."))
            comment = services.do_add_comment(
                user=request.user,
                resource=conversation.resource,
                body=data["body"],
                alignment=data["alignment"],
                parent=parent,
            )
        except services.CommentNotAllowed as error:
            if _is_htmx(request) and parent is not None:
                return _reply_refused(request, conversation, parent, form, error.message)
            messages.error(request, error.message)
            return redirect(f"{conversation.resource_url}#comments")
        except services.CommentError as error:
            form.add_error(None, error.message)
        else:
            if _is_htmx(request) and parent is not None:
                return _reply_posted(request, conversation, comment)
            _tell_what_became_of(request, comment, is_reply=parent is not None)
            if comment.hidden_at is not None:  # held: no #comment-N on the page to land on
                return redirect(f"{conversation.resource_url}#comments")
            return redirect(services.comment_url(comment, conversation.resource))
    if _is_htmx(request) and parent is not None:
        return _reply_refused(request, conversation, parent, form)
    title = _("Reply to a comment") if parent else _("Add a comment")
    context = _form_context(conversation, form=form, action=action, parent=parent, title=title)
    return render(request, "comments/form_page.html", context, status=400)


def _reply_posted(request, conversation, comment):
    """The reply, for the end of its parent's replies (htmx), focused; or, held for a
    moderator, only what became of it (the form is emptied all the same)."""
    comment.refresh_from_db(fields=["hidden_at"])
    back = _back_to(request, services.comment_url(comment, conversation.resource), comment)
    context = {"comment": None, "return_to": back.split("#")[0], "form_options": conversation.form_options}
    if comment.hidden_at is None:
        fresh = with_reader_data(Comment.objects.filter(pk=comment.pk), request.user)
        context["comment"] = mark_abilities(fresh, request.user, can_add=conversation.can_add)[0]
        context["live_message"] = _("Your reply is published.")
    else:
        context["live_message"] = _(
            "Your reply is not published yet: it looks like spam to our automatic check, so a "
            "moderator will read it first. You will receive an e-mail about it."
        )
    response = render(request, "comments/_reply_posted.html", context)
    if comment.hidden_at is not None:
        response["HX-Reswap"] = "none"
    return response


def _reply_refused(request, conversation, parent, form, message=None):
    """The reply form again, in place, with what is wrong and what was typed (htmx, 422)."""
    if message is not None:
        form.add_error(None, message)
    context = _form_context(conversation, form=form, action="", parent=parent)
    context["return_to"] = request.POST.get("next", "")
    context["refused"] = True
    response = render(request, "comments/_reply_form.html", context, status=422)
    response["HX-Retarget"] = f"#reply-form-{parent.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_POST
def add_comment(request, content_type_id, object_id):
    conversation = _resource_or_404(request, content_type_id, object_id)
    action = reverse("comments:add", args=[content_type_id, object_id])
    return _post_comment(request, conversation, parent=None, action=action)


@require_POST
def reply(request, comment_id):
    parent, conversation = _comment_or_404(request, comment_id)
    return _post_comment(
        request, conversation, parent=parent, action=reverse("comments:reply", args=[parent.pk])
    )


def permalink(request, comment_id):
    """A comment's lasting address (search results): the page that shows it now, if the
    reader may see it. Which page holds a comment changes as comments are posted before it,
    so it is worked out when the link is followed: stored in the search index, it cost a
    count per comment, two thirds of a full reindex."""
    comment, conversation = _comment_or_404(request, comment_id)
    return redirect(services.comment_url(comment, conversation.resource))


def replies(request, comment_id):
    """The replies to one comment: a fragment for htmx, a page of its own for everyone else."""
    parent, conversation = _comment_or_404(request, comment_id)
    thread = build_replies(request, parent, conversation)
    if _is_htmx(request):
        return render(request, "comments/_replies.html", {"replies": thread, "focus_first": True})
    shown_parent = with_reader_data(Comment.objects.filter(pk=parent.pk), request.user)
    context = {
        "conversation": conversation,
        "replies": thread,
        "parent": mark_abilities(shown_parent, request.user, can_add=conversation.can_add)[0],
        "resource_title": commentable_for(conversation.resource).title_of(conversation.resource),
        "back_url": services.comment_url(parent, conversation.resource)
        if parent.depth == 0
        else conversation.resource_url,
    }
    return render(request, "comments/replies_page.html", context)


def edit_comment(request, comment_id):
    comment, conversation = _comment_or_404(request, comment_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        services.check_can_change(request.user, comment)
    except services.CommentNotAllowed as error:
        raise PermissionDenied(error.message) from error
    initial = {"body": services.editable_text(comment.body), "alignment": comment.alignment}
    form = CommentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_edit_comment(
                user=request.user,
                comment=comment,
                body=form.cleaned_data["body"],
                alignment=form.cleaned_data["alignment"],
            )
        except services.CommentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect(services.comment_url(comment, conversation.resource))
    context = _form_context(
        conversation, form=form, action=request.path, parent=comment.parent, title=_("Edit my comment")
    )
    context["comment"] = comment
    context["cancel_url"] = services.comment_url(comment, conversation.resource)
    return render(request, "comments/form_page.html", context, status=400 if form.is_bound else 200)


@require_POST
def delete_comment(request, comment_id):
    comment, conversation = _comment_or_404(request, comment_id)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.resource_url)
    try:
        if not deletion_confirmed(request):
            services.check_can_change(request.user, comment)  # asks only who may delete
            return confirm_deletion(
                request,
                name=_("My comment"),
                consequence=_("Its text will be erased; replies stay."),
                back_url=services.comment_url(comment, conversation.resource),
                public=True,
            )
        services.do_delete_comment(user=request.user, comment=comment)
    except services.CommentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your comment is deleted."))
    return redirect(_back_to(request, services.comment_url(comment, conversation.resource), comment))


@require_POST
def vote(request, comment_id):
    comment, conversation = _comment_or_404(request, comment_id)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.resource_url)
    verdict = throttle.participant_verdict(request, "comment_vote")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    value = services.VOTE_VALUES.get(request.POST.get("value", ""))
    try:
        if value is None:
            raise services.CommentError(_("Choose an up or a down vote."))
        services.do_vote(user=request.user, comment=comment, value=value)
    except services.CommentError as error:
        if _is_htmx(request):
            return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, error.message)
    back = _back_to(request, services.comment_url(comment, conversation.resource), comment)
    if _is_htmx(request):
        fresh = with_reader_data(Comment.objects.filter(pk=comment.pk), request.user)
        context = {
            "comment": mark_abilities(fresh, request.user, can_add=conversation.can_add)[0],
            "return_to": back.split("#")[0],
            "form_options": conversation.form_options,
        }
        return render(request, "comments/_comment.html", context)
    return redirect(back)
