"""A deleted account takes its acceptances of the terms with it.

``accounts.services.do_delete_account`` erases the person and keeps the row; which
versions they accepted and when belongs to them and goes too.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.legal.models import TermsAcceptance


@receiver(post_save, sender=get_user_model(), dispatch_uid="legal_forget_deleted_accounts")
def forget_acceptances_of_deleted_account(sender, instance, **kwargs):
    if instance.deleted_at is not None:
        TermsAcceptance.objects.filter(user=instance).delete()
