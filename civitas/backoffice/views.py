from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.backoffice.decorators import organization_admin_required
from civitas.captcha.models import CaptchaQuestion
from civitas.organizations.forms import OrganizationSettingsForm


@organization_admin_required
def dashboard(request):
    users = get_user_model().objects.filter(organization=request.organization, deleted_at__isnull=True)
    context = {
        "account_count": users.count(),
        "confirmed_count": users.filter(email_confirmed_at__isnull=False).count(),
        "question_count": request.organization.captcha_questions.count(),
    }
    return render(request, "backoffice/dashboard.html", context)


@organization_admin_required
def organization_settings(request):
    form = OrganizationSettingsForm(
        request.POST or None, request.FILES or None, instance=request.organization
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings are saved."))
        return redirect("backoffice:settings")
    return render(request, "backoffice/settings.html", {"form": form})


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
    form = CaptchaQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = form.save(commit=False)
        question.organization = request.organization
        question.save()
        messages.success(request, _("The question is added."))
        return redirect("backoffice:captcha_questions")
    return render(request, "backoffice/captcha_questions.html", {"questions": questions, "form": form})


@organization_admin_required
def captcha_question_edit(request, pk):
    question = get_object_or_404(CaptchaQuestion, pk=pk, organization=request.organization)
    form = CaptchaQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question is saved."))
        return redirect("backoffice:captcha_questions")
    return render(request, "backoffice/captcha_question_edit.html", {"form": form, "question": question})


@organization_admin_required
@require_POST
def captcha_question_delete(request, pk):
    question = get_object_or_404(CaptchaQuestion, pk=pk, organization=request.organization)
    question.delete()
    messages.success(request, _("The question is deleted."))
    return redirect("backoffice:captcha_questions")
