"""The organization's admins write, preview, test and send newsletters, and follow the sending."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.core.confirmation import act_confirmed, confirm_act
from civitas.core.links import sanitize_user_html
from civitas.newsletters import services
from civitas.newsletters.forms import NewsletterForm
from civitas.newsletters.models import Delivery, Newsletter
from civitas.newsletters.rendering import render_newsletter, unsubscribe_url
from civitas.organizations.access import organization_admin_required

PROBLEMS_PER_PAGE = 50


def _newsletter(request, pk) -> Newsletter:
    return get_object_or_404(
        Newsletter.objects.select_related("organization", "author", "sent_by"),
        organization=request.organization,
        pk=pk,
    )


def _form_data(form) -> dict:
    data = form.cleaned_data
    return {
        "subject": data["subject"],
        "body": data["body"],
        "audience": data["audience"],
        "spaces": list(data["spaces"]),
        "handler": data["handler"],
    }


@organization_admin_required
def newsletter_list(request):
    newsletters = Newsletter.objects.filter(organization=request.organization).select_related("author")
    page = Paginator(newsletters, 30).get_page(request.GET.get("page"))
    return render(request, "newsletters/admin/list.html", {"page": page})


@organization_admin_required
def newsletter_new(request):
    form = NewsletterForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            newsletter = services.do_create_newsletter(
                organization=request.organization, user=request.user, **_form_data(form)
            )
        except services.NewsletterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The newsletter is saved as a draft."))
            return redirect("newsletters_admin:detail", newsletter.pk)
    return render(request, "newsletters/admin/edit.html", {"form": form, "newsletter": None})


@organization_admin_required
def newsletter_edit(request, pk):
    newsletter = _newsletter(request, pk)
    if not newsletter.is_draft:
        messages.error(request, _("This newsletter is sent: it can no longer be changed."))
        return redirect("newsletters_admin:detail", newsletter.pk)
    initial = {
        "subject": newsletter.subject,
        "body": newsletter.body,
        "audience": newsletter.audience,
        "spaces": list(newsletter.spaces.all()),
        "handler": newsletter.handler,
    }
    form = NewsletterForm(request.POST or None, initial=initial, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_newsletter(newsletter=newsletter, user=request.user, **_form_data(form))
        except services.NewsletterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The newsletter is saved."))
            return redirect("newsletters_admin:detail", newsletter.pk)
    return render(request, "newsletters/admin/edit.html", {"form": form, "newsletter": newsletter})


@organization_admin_required
def newsletter_detail(request, pk):
    newsletter = _newsletter(request, pk)
    progress = services.progress(newsletter)
    context = {"newsletter": newsletter, "progress": progress}
    if request.headers.get("HX-Request"):
        return render(request, "newsletters/admin/_progress.html", context)
    problems = newsletter.deliveries.filter(
        status__in=[Delivery.Status.FAILED, Delivery.Status.BOUNCED]
    ).order_by("pk")
    context["problems"] = Paginator(
        problems.only("email", "status", "error", "bounce"), PROBLEMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    if newsletter.is_draft:
        context["recipient_count"] = services.recipient_count(newsletter)
    return render(request, "newsletters/admin/detail.html", context)


@organization_admin_required
def newsletter_preview(request, pk):
    newsletter = _newsletter(request, pk)
    rendered = render_newsletter(newsletter, request.LANGUAGE_CODE)
    url = unsubscribe_url(request.user)
    _html_body, text_body = rendered.for_person(url)
    return render(
        request,
        "newsletters/admin/preview.html",
        {
            "newsletter": newsletter,
            "rendered": rendered,
            # Shown on the site, the message's links go through the warning page as any
            # written text's do (sanitized again: a row may predate the sanitizer).
            "html_content": sanitize_user_html(rendered.content_for(url), request.organization),
            "text_body": text_body,
        },
    )


@organization_admin_required
@require_POST
def newsletter_send_test(request, pk):
    newsletter = _newsletter(request, pk)
    services.do_send_test(newsletter=newsletter, user=request.user)
    messages.success(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
    return redirect("newsletters_admin:detail", newsletter.pk)


@organization_admin_required
@require_POST
def newsletter_send(request, pk):
    newsletter = _newsletter(request, pk)
    back = reverse("newsletters_admin:detail", args=[newsletter.pk])
    try:
        services.check_send(newsletter)
    except services.NewsletterError as error:
        messages.error(request, str(error))
        return redirect(back)
    if not act_confirmed(request):
        count = services.recipient_count(newsletter)
        return confirm_act(
            request,
            title=_("Send this newsletter?"),
            consequence=ngettext(
                "It goes to %(count)s person and cannot be called back once sent.",
                "It goes to %(count)s people and cannot be called back once sent.",
                count,
            )
            % {"count": count},
            button=_("Send the newsletter"),
            back_url=back,
        )
    try:
        services.do_send(newsletter=newsletter, user=request.user)
    except services.NewsletterError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, _("The newsletter is being sent. This page shows its progress."))
    return redirect(back)
