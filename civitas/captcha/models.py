from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import LOCALE_CHOICES, Organization


class CaptchaQuestion(models.Model):
    """A question an organization adds to the built-in bank, in one language."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="captcha_questions")
    locale = models.CharField(_("language"), max_length=5, choices=LOCALE_CHOICES)
    question = models.CharField(_("question"), max_length=300)
    answers = models.TextField(_("accepted answers"), help_text=_("One accepted answer per line."))
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["locale", "question"]
        verbose_name = _("CAPTCHA question")

    def __str__(self) -> str:
        return self.question

    @property
    def answer_list(self) -> list[str]:
        return [line.strip() for line in self.answers.splitlines() if line.strip()]
