"""Account e-mails whose recipient depends on whether an account exists.

The request that asks for them only queues the task, the same way whatever the
address: the account is looked up here, out of the request, so that neither the
response nor its duration tells a visitor whether the address has an account.
"""

from huey.contrib.djhuey import db_task

from civitas.organizations.models import Organization


@db_task(retries=2, retry_delay=60)
def send_password_reset(organization_id: int, email: str, domain: str, use_https: bool) -> None:
    from civitas.accounts.services import do_send_password_reset

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:
        do_send_password_reset(organization, email, domain, use_https)


@db_task(retries=2, retry_delay=60)
def resend_confirmation(organization_id: int, email: str) -> None:
    from civitas.accounts.services import do_resend_confirmation

    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:
        do_resend_confirmation(organization, email)
