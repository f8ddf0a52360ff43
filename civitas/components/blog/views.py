from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.authorizations.gate import verification_redirect
from civitas.components.blog import services
from civitas.components.blog.models import Endorsement, Post
from civitas.components.views import public_component_view

POSTS_PER_PAGE = 10


@public_component_view("blog")
def post_index(request, space, component):
    posts = Post.objects.published().filter(component=component)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    for post in page.object_list:
        post.component = component
    context = {"space": space, "component": component, "page": page, "posts": page.object_list}
    return render(request, "blog/index.html", context)


def _get_post(request, component, post_id) -> Post:
    post = get_object_or_404(Post, component=component, pk=post_id)
    post.component = component
    # A draft or a scheduled post is a page that does not exist yet, except for its admins.
    if not request.user.has_perm("blog.view_post", post):
        raise Http404
    return post


def _endorsement_context(request, component, post) -> dict:
    endorsed = (
        request.user.is_authenticated and Endorsement.objects.filter(post=post, user=request.user).exists()
    )
    phase = component.active_phase_settings()
    return {
        "component": component,
        "post": post,
        "endorsed": endorsed,
        "endorsements_enabled": phase["endorsements_enabled"],
        "can_endorse": request.user.has_perm("blog.endorse", component),
    }


@public_component_view("blog")
def post_detail(request, space, component, post_id):
    post = _get_post(request, component, post_id)
    context = {"space": space, **_endorsement_context(request, component, post)}
    return render(request, "blog/detail.html", context)


@require_POST
@public_component_view("blog")
def post_endorse(request, space, component, post_id):
    post = _get_post(request, component, post_id)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    withdraw = request.POST.get("action") == "withdraw"
    if not withdraw and not request.user.has_perm("blog.endorse", component):
        redirected = verification_redirect(request, component, "endorse", post.get_absolute_url())
        if redirected is not None:
            return redirected
        raise PermissionDenied
    verdict = throttle.participant_verdict(request, "support")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    try:
        if withdraw:
            services.do_withdraw_endorsement(post=post, user=request.user)
            level, message = messages.INFO, _("Your endorsement is withdrawn.")
        else:
            services.do_endorse(post=post, user=request.user)
            level, message = messages.SUCCESS, _("You endorse this post.")
    except services.BlogError as error:
        level, message = messages.ERROR, str(error)
    if request.headers.get("HX-Request") == "true":
        post.refresh_from_db(fields=["endorsement_count"])
        context = {**_endorsement_context(request, component, post), "live_message": message}
        return render(request, "blog/_endorse_answer.html", context)
    messages.add_message(request, level, message)
    return redirect(post.get_absolute_url())
