from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.actionlog.services import log_action, snapshot
from civitas.backoffice.dashboard import dashboard_context
from civitas.backoffice.decorators import backoffice_access_required
from civitas.captcha.models import CaptchaQuestion
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.core.params import parse_id
from civitas.organizations.access import organization_admin_required
from civitas.organizations.forms import OrganizationSettingsForm
from civitas.organizations.models import Organization
from civitas.organizations.theme import colour_use
from civitas.spaces import access


@backoffice_access_required
def dashboard(request):
    from civitas.backoffice.space_views import spaces_administered_by

    spaces = spaces_administered_by(request)
    whole_organization = access.is_organization_admin_of(request.user, request.organization.pk)
    users = get_user_model().objects.filter(organization=request.organization, deleted_at__isnull=True)
    context = {
        "spaces": spaces.order_by("position", "pk")[:20],
        "space_count": spaces.count(),
        "published_space_count": spaces.filter(published_at__isnull=False).count(),
        "is_organization_admin": whole_organization,
        "can_create_space": request.user.has_perm("spaces.create_space", request.organization),
        **dashboard_context(request, spaces, whole_organization),
    }
    if whole_organization:
        context["account_count"] = users.count()
        context["confirmed_count"] = users.filter(email_confirmed_at__isnull=False).count()
    return render(request, "backoffice/dashboard.html", context)


@backoffice_access_required
def page_new(request):
    """Write a page: a new page component in one of the reader's spaces, chosen here or on the
    dashboard (whose form sends ``?space=``)."""
    from civitas.backoffice.space_views import spaces_administered_by

    spaces = spaces_administered_by(request).order_by("position", "pk")
    error = ""
    if "space" in request.GET:
        space = spaces.filter(pk=parse_id(request.GET["space"])).first()
        if space is not None:
            return redirect(reverse("backoffice:component_create", args=[space.pk]) + "?type=pages")
        error = _("Choose one of your spaces for the page.")
    return render(request, "backoffice/page_new.html", {"spaces": spaces, "error": error})


@organization_admin_required
def organization_settings(request):
    form = OrganizationSettingsForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(Organization.objects.get(pk=request.organization.pk))
            organization = form.save()
            log_action(
                organization=organization,
                user=request.user,
                action="organization.update",
                target=organization,
                before=before,
                after=snapshot(organization),
            )
        messages.success(request, _("The settings are saved."))
        return redirect("backoffice:settings")
    organization = Organization.objects.get(pk=request.organization.pk)  # as saved, not as typed
    colour_uses = [
        (colour_use(organization.primary_colour), _("Main colour"), "brand"),
        (colour_use(organization.secondary_colour), _("Accent colour"), "accent"),
    ]
    return render(request, "backoffice/settings.html", {"form": form, "colour_uses": colour_uses})


class CaptchaQuestionForm(forms.ModelForm):
    class Meta:
        model = CaptchaQuestion
        fields = ["locale", "question", "answers", "is_active"]
        widgets = {"answers": forms.Textarea(attrs={"rows": 4})}

    def clean_answers(self):
        answers = [line.strip() for line in self.cleaned_data["answers"].splitlines() if line.strip()]
        if not answers:
            raise forms.ValidationError(_("Give at least one accepted answer."))
        return "\n".join(answers)


@organization_admin_required
def captcha_questions(request):
    questions = request.organization.captcha_questions.all()
    form = CaptchaQuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            question = form.save(commit=False)
            question.organization = request.organization
            question.save()
            log_action(
                organization=request.organization,
                user=request.user,
                action="captcha_question.create",
                target=question,
                after=snapshot(question),
            )
        messages.success(request, _("The question is added."))
        return redirect("backoffice:captcha_questions")
    return render(request, "backoffice/captcha_questions.html", {"questions": questions, "form": form})


@organization_admin_required
def captcha_question_edit(request, pk):
    question = get_object_or_404(CaptchaQuestion, pk=pk, organization=request.organization)
    form = CaptchaQuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(CaptchaQuestion.objects.get(pk=question.pk))
            form.save()
            log_action(
                organization=request.organization,
                user=request.user,
                action="captcha_question.update",
                target=question,
                before=before,
                after=snapshot(question),
            )
        messages.success(request, _("The question is saved."))
        return redirect("backoffice:captcha_questions")
    return render(request, "backoffice/captcha_question_edit.html", {"form": form, "question": question})


@organization_admin_required
@require_POST
def captcha_question_delete(request, pk):
    question = get_object_or_404(CaptchaQuestion, pk=pk, organization=request.organization)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=question.question,
            consequence=_("The question and its accepted answers are deleted for good."),
            back_url=reverse("backoffice:captcha_questions"),
        )
    with transaction.atomic():
        log_action(
            organization=request.organization,
            user=request.user,
            action="captcha_question.delete",
            target=question,
            before=snapshot(question),
        )
        question.delete()
    messages.success(request, _("The question is deleted."))
    return redirect("backoffice:captcha_questions")
