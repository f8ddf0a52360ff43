"""A deleted account takes the invitations it accepted with it.

``accounts.services.do_delete_account`` erases the person and keeps the row; the
invitations it accepted hold the address it was invited at, which goes too.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.people.models import Invitation


@receiver(post_save, sender=get_user_model(), dispatch_uid="people_forget_deleted_accounts")
def forget_invitations_of_deleted_account(sender, instance, **kwargs):
    if instance.deleted_at is not None:
        Invitation.objects.filter(accepted_by=instance).delete()
