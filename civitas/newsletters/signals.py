"""A deleted account takes its newsletter consent and deliveries with it.

``accounts.services.do_delete_account`` erases the person and keeps the row; whether they
consented, when, and which newsletters went to which address belong to them and go too.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.newsletters.models import Delivery, NewsletterConsent


@receiver(post_save, sender=get_user_model(), dispatch_uid="newsletters_forget_deleted_accounts")
def forget_newsletters_of_deleted_account(sender, instance, **kwargs):
    if instance.deleted_at is not None:
        NewsletterConsent.objects.filter(user=instance).delete()
        Delivery.objects.filter(user=instance).delete()
