"""Back-office pages of the news component: the space's admins write, schedule and delete posts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.blog import services
from civitas.components.blog.forms import PostForm
from civitas.components.blog.models import Post
from civitas.components.views import admin_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _index_url(space, component) -> str:
    return reverse("blog_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk})


def _get(component, post_id) -> Post:
    post = get_object_or_404(Post, component=component, pk=post_id)
    post.component = component
    return post


@admin_component_view("blog")
def post_admin_index(request, space, component):
    posts = list(Post.objects.filter(component=component).order_by("-published_at", "-pk"))
    for post in posts:
        post.component = component
    return render(request, "blog/admin/index.html", {"space": space, "component": component, "posts": posts})


@admin_component_view("blog")
def post_edit(request, space, component, post_id=None):
    post = _get(component, post_id) if post_id else Post(component=component)
    form = PostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        post = services.do_save_post(form=form, user=request.user, component=component)
        if post.is_scheduled:
            messages.success(request, _("The post is saved; it will appear on its publication date."))
        elif post.is_published:
            messages.success(request, _("The post is saved and published."))
        else:
            messages.success(request, _("The post is saved as a draft."))
        return redirect(_index_url(space, component))
    return render(
        request, "blog/admin/form.html", {"space": space, "component": component, "post": post, "form": form}
    )


@require_POST
@admin_component_view("blog")
def post_delete(request, space, component, post_id):
    post = _get(component, post_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=post.title,
            consequence=_("The post, its image, its comments and its endorsements are deleted for good."),
            back_url=_index_url(space, component),
            context={"space": space},
        )
    services.do_delete_post(post=post, user=request.user)
    messages.success(request, _("The post is deleted."))
    return redirect(_index_url(space, component))
