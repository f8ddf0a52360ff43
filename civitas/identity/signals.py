"""A deleted account loses its links to identity providers.

``accounts.services.do_delete_account`` erases the person and keeps the row; a link
left behind would let the person log in to the erased account through FranceConnect,
and the provider's identifier is personal data.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.identity.models import ProviderAccount


@receiver(post_save, sender=get_user_model(), dispatch_uid="identity_unlink_deleted_accounts")
def unlink_deleted_account(sender, instance, **kwargs):
    if instance.deleted_at is not None:
        ProviderAccount.objects.filter(user=instance).delete()
