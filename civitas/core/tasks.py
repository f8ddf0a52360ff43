from django.core.mail import EmailMultiAlternatives
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=60)
def send_email(
    to: list[str], subject: str, text_body: str, html_body: str | None = None, reply_to=None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=to, reply_to=reply_to or None)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
